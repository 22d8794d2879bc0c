// Each Flink cluster's health, polled from GET /overview on a PollingLoop: whether it answers,
// its task slots (total and free), TaskManagers and version, as metrics (fjc_flink_cluster_*)
// as the deployer's non-fatal `flink` readiness check, and as the latest snapshot per cluster
// (ClusterOverviewRecorder keeps it in cluster_overview for the spec-service's plan, on a loop of
// its own, so a database outage never holds up this probe). The raw client is used, not the
// breaker-wrapped one: a health probe does not open the breaker; while it is open, the cluster
// is reported down without being asked.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { CLOCK, loopLoggerOf, PollingLoop, Readiness, type Clock } from '@fjc/service-runtime';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { RestFlinkClusters } from '../flink/flink-clusters.adapter';
import { DeployerMetrics } from '../metrics/deployer-metrics';
import type { ClusterSnapshot } from './cluster-overview-table';

/** How often each cluster is asked, at most (the observation interval when that is longer). */
const MIN_INTERVAL_MS = 5_000;

@Injectable()
export class ClusterHealth implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;
  /** Per cluster: null when its last overview answered, else why not. */
  private readonly failures = new Map<string, string | null>();
  private readonly versions = new Map<string, string>();
  private readonly latest = new Map<string, ClusterSnapshot>();

  constructor(
    private readonly clusters: RestFlinkClusters,
    private readonly metrics: DeployerMetrics,
    @Inject(DEPLOYER_CONFIG) config: DeployerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    readiness: Readiness,
    logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'cluster-health',
      intervalMs: Math.max(MIN_INTERVAL_MS, config.observeIntervalMs),
      pass: () => this.poll(),
      errorCode: 'FJC_CLUSTER_HEALTH_FAILED',
      logger: loopLoggerOf(logger, 'cluster-health'),
    });
    readiness.register('flink', () => this.check(), { fatal: false });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: every cluster's overview, each independently. */
  async poll(): Promise<void> {
    await Promise.all(
      [...this.clusters.clusters()].map(async ([cluster, rest]) => {
        // Its breaker open: the cluster is known not to answer, and is not asked (the breaker
        // alone decides when to try it again).
        if (this.clusters.blockedUntil(cluster) !== null) {
          this.failed(cluster, 'FJC_FLINK_BREAKER_OPEN: calls failed in a row; not called until the breaker lets a trial through');
          return;
        }
        try {
          const o = await rest.overview();
          this.failures.set(cluster, null);
          this.latest.set(cluster, { overview: { slotsTotal: o['slots-total'], slotsFree: o['slots-available'], taskManagers: o.taskmanagers, flinkVersion: o['flink-version'] }, error: null, checkedAt: this.clock.now() });
          this.metrics.clusterUp.set({ cluster }, 1);
          this.metrics.clusterSlots.set({ cluster, kind: 'total' }, o['slots-total']);
          this.metrics.clusterSlots.set({ cluster, kind: 'free' }, o['slots-available']);
          this.metrics.clusterTaskManagers.set({ cluster }, o.taskmanagers);
          const before = this.versions.get(cluster);
          if (before !== o['flink-version']) {
            if (before !== undefined) this.metrics.clusterInfo.remove({ cluster, version: before });
            this.versions.set(cluster, o['flink-version']);
          }
          this.metrics.clusterInfo.set({ cluster, version: o['flink-version'] }, 1);
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          this.failed(cluster, `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }

  /** The latest overview (or failure) of each cluster asked so far. */
  snapshots(): ReadonlyMap<string, ClusterSnapshot> {
    return this.latest;
  }

  private failed(cluster: string, why: string): void {
    this.failures.set(cluster, why);
    this.latest.set(cluster, { overview: null, error: why, checkedAt: this.clock.now() });
    this.metrics.clusterUp.set({ cluster }, 0);
  }

  /** Fails naming every cluster whose last overview did not answer (or that was never asked yet). */
  check(): void {
    const failing = [...this.clusters.clusters().keys()].flatMap((cluster) => {
      if (!this.failures.has(cluster)) return [`${cluster}: not asked yet`];
      const failure = this.failures.get(cluster);
      return failure ? [`${cluster}: ${failure}`] : [];
    });
    if (failing.length > 0) throw new Error(`Flink cluster unreachable: ${failing.join('; ')}`);
  }
}
