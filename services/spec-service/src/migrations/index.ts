// The spec-service's migrations, applied by PlatformModule after the event log's.
import { SpecServiceTables1765100000101 } from './1765100000101-spec-service-tables';
import { JobStatusFlinkVersion1766000000000 } from './1766000000000-job-status-flink-version';
import { ApiTokens1767000000000 } from './1767000000000-api-tokens';
import { JobStatusStability1768000000000 } from './1768000000000-job-status-stability';
import { JobListIndexes1771500000000 } from './1771500000000-job-list-indexes';
import { JobTemplates1772100000000 } from './1772100000000-job-templates';
import { Pipelines1772200000000 } from './1772200000000-pipelines';

export const SPEC_SERVICE_MIGRATIONS = [SpecServiceTables1765100000101, JobStatusFlinkVersion1766000000000, ApiTokens1767000000000, JobStatusStability1768000000000, JobListIndexes1771500000000, JobTemplates1772100000000, Pipelines1772200000000];
