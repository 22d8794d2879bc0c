// The deployer's migrations, applied after the event log's by PlatformModule.
import type { MigrationClass } from '@fjc/event-log';
import { CreateDeployerTables1765300000000 } from './1765300000000-create-deployer-tables';
import { DeployerJarCleanupAndBackpressure1765400000000 } from './1765400000000-deployer-jar-cleanup-and-backpressure';
import { DeployerLastCheckpoint1765417000000 } from './1765417000000-deployer-last-checkpoint';
import { DeployerExceptionsAndGateEvidence1765500000000 } from './1765500000000-deployer-exceptions-and-gate-evidence';
import { DeployerConfirmingTrace1770100000000 } from './1770100000000-deployer-confirming-trace';

export const DEPLOYER_MIGRATIONS: readonly MigrationClass[] = [CreateDeployerTables1765300000000, DeployerJarCleanupAndBackpressure1765400000000, DeployerLastCheckpoint1765417000000, DeployerExceptionsAndGateEvidence1765500000000, DeployerConfirmingTrace1770100000000];
