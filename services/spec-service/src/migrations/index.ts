// The spec-service's migrations, applied by PlatformModule after the event log's.
import { SpecServiceTables1765100000101 } from './1765100000101-spec-service-tables';

export const SPEC_SERVICE_MIGRATIONS = [SpecServiceTables1765100000101];
