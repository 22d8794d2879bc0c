// Keeps cluster_overview current from ClusterHealth's latest snapshots, on a loop of its own:
// PostgreSQL away delays this loop (with back-off), never the Flink probe or its metrics. Only
// snapshots newer than the one last written go to the table.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { DB_POOL, loopLoggerOf, PollingLoop } from '@fjc/service-runtime';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { ClusterHealth } from './cluster-health';
import { recordSnapshot } from './cluster-overview-table';

const MIN_INTERVAL_MS = 5_000;

@Injectable()
export class ClusterOverviewRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;
  /** Per cluster: when the snapshot last written was taken. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly health: ClusterHealth,
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(DEPLOYER_CONFIG) config: DeployerConfig,
    logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'cluster-overview',
      intervalMs: Math.max(MIN_INTERVAL_MS, config.observeIntervalMs),
      pass: () => this.record(),
      errorCode: 'FJC_CLUSTER_OVERVIEW_NOT_RECORDED',
      logger: loopLoggerOf(logger, 'cluster-overview'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async record(): Promise<void> {
    for (const [cluster, snapshot] of this.health.snapshots()) {
      const at = snapshot.checkedAt.getTime();
      if (this.written.get(cluster) === at) continue;
      await recordSnapshot(this.pool, cluster, snapshot);
      this.written.set(cluster, at);
    }
  }
}
