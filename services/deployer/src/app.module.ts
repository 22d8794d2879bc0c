// Root module of the deployer: carries out actions against Flink REST and observes Flink jobs.
// ActionRequested (fjc.deploy.actions) is queued in deployer_actions and carried out by the
// executor; results and observations go to the deployer-<jobId> streams of the event log,
// which the platform's relay publishes to fjc.deploy.results and fjc.job.observations.
import { Module } from '@nestjs/common';
import { ObservabilityModule, PlatformModule } from '@fjc/service-runtime';
import { ActionExecutor } from './actions/action-executor';
import { ActionRequestedController } from './actions/action-requested.controller';
import { ExecuteAction } from './actions/execute-action';
import { JobLocks } from './actions/job-locks';
import { RecordActionRequest } from './actions/record-action-request';
import { JAR_CLEANUP_STORE } from './artifacts/jar-cleanup';
import { PgJarCleanupStore } from './artifacts/jar-cleanup-store';
import { JarUploads } from './artifacts/jar-uploads';
import { DEPLOYER_CONFIG, deployerConfigFromEnv, type DeployerConfig } from './config/deployer-config';
import { SECRET_RESOLVER, secretProvidersFromEnv } from './secrets/secret-providers';
import { SecretResolver } from './secrets/secret-resolver';
import { RestFlinkClusters } from './flink/flink-clusters.adapter';
import { FLINK_CLUSTERS } from './flink/flink-port';
import { DeployerMetrics } from './metrics/deployer-metrics';
import { ClusterHealth } from './health/cluster-health';
import { ClusterOverviewRecorder } from './health/cluster-overview-recorder';
import { DEPLOYER_SCHEMA } from './migrations/schema';
import { ObservationPoller } from './observation/observation-poller';
import { DeployerStream } from './stream/deployer-stream';
import { SLEEP, timerSleep } from './time/sleep';

export const SERVICE_NAME = 'deployer';

@Module({
  imports: [
    ObservabilityModule.forService(SERVICE_NAME),
    PlatformModule.forService({ serviceName: SERVICE_NAME, migrations: DEPLOYER_SCHEMA.migrations }),
  ],
  controllers: [ActionRequestedController],
  providers: [
    { provide: DEPLOYER_CONFIG, useFactory: () => deployerConfigFromEnv() },
    {
      provide: SECRET_RESOLVER,
      useFactory: (config: DeployerConfig) => new SecretResolver(secretProvidersFromEnv(), config.artifactPolicy),
      inject: [DEPLOYER_CONFIG],
    },
    { provide: SLEEP, useValue: timerSleep },
    { provide: FLINK_CLUSTERS, useExisting: RestFlinkClusters },
    RestFlinkClusters,
    DeployerMetrics,
    DeployerStream,
    JarUploads,
    { provide: JAR_CLEANUP_STORE, useExisting: PgJarCleanupStore },
    PgJarCleanupStore,
    JobLocks,
    ExecuteAction,
    ActionExecutor,
    RecordActionRequest,
    ObservationPoller,
    ClusterHealth,
    ClusterOverviewRecorder,
  ],
})
export class DeployerModule {}
