// The real FlinkClusters: one REST client per configured session cluster, each call timed into
// the fjc_deployer_flink_call_duration_seconds histogram and made through the cluster's own
// circuit breaker (its state logged and in the fjc_deployer_flink_breaker_state gauge).
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { FlinkRestClient } from '@fjc/flink-client';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { DeployerMetrics } from '../metrics/deployer-metrics';
import { ClusterBreaker, type BreakerState } from './cluster-breaker';
import type { FlinkClient, FlinkClusters, FlinkJobView } from './flink-port';

const GAUGE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

@Injectable()
export class RestFlinkClusters implements FlinkClusters, OnApplicationShutdown {
  private readonly rest = new Map<string, FlinkRestClient>();
  private readonly clients = new Map<string, FlinkClient>();
  private readonly breakers = new Map<string, ClusterBreaker>();

  constructor(@Inject(DEPLOYER_CONFIG) config: DeployerConfig, metrics: DeployerMetrics, logger: Logger) {
    for (const [name, { url, options }] of Object.entries(config.clusters)) {
      const rest = new FlinkRestClient(url, { ...options, timeoutMs: config.flinkTimeoutMs });
      const breaker = new ClusterBreaker({
        threshold: config.flinkBreakerThreshold,
        halfOpenAfterMs: config.flinkBreakerHalfOpenMs,
        onStateChange: (state) => {
          metrics.breakerState.set({ cluster: name }, GAUGE[state]);
          const fields = { event: 'flink.breaker.changed', code: state === 'open' ? 'FJC_FLINK_BREAKER_OPEN' : undefined, cluster: name, state };
          const msg = state === 'open' ? `calls to cluster ${name} failed in a row: no calls for ${config.flinkBreakerHalfOpenMs} ms, then one trial call` : state === 'half-open' ? `trying cluster ${name} again` : `cluster ${name} answers again`;
          if (state === 'open') logger.warn({ ...fields, msg }, 'deployer');
          else logger.log({ ...fields, msg }, 'deployer');
        },
      });
      metrics.breakerState.set({ cluster: name }, 0);
      this.rest.set(name, rest);
      this.breakers.set(name, breaker);
      this.clients.set(
        name,
        breaker.wrap(
          timed(restPort(rest), (call, outcome, seconds, err) => {
            const route = ROUTES[call];
            metrics.flinkCalls.observe({ cluster: name, route, outcome }, seconds);
            if (outcome === 'error') metrics.flinkCallErrors.inc({ cluster: name, route, code: errorCode(err) });
          }),
        ),
      );
    }
  }

  client(cluster: string): FlinkClient | null {
    return this.clients.get(cluster) ?? null;
  }

  /** The clusters and their raw REST clients, for the health poller (not breaker-wrapped: a
   *  health probe must not open or hold the breaker). */
  clusters(): ReadonlyMap<string, FlinkRestClient> {
    return this.rest;
  }

  blockedUntil(cluster: string): number | null {
    return this.breakers.get(cluster)?.blockedUntil() ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.rest.values()].map((c) => c.close().catch(() => undefined)));
  }
}

function restPort(rest: FlinkRestClient): FlinkClient {
  return {
    uploadJar: (path, name) => rest.uploadJar(path, name),
    listJarFiles: () => rest.listJarFiles(),
    deleteJar: (jarId) => rest.deleteJar(jarId),
    runJar: (jarId, req) => rest.runJar(jarId, req),
    job: async (jobId): Promise<FlinkJobView | null> => {
      const details = await rest.job(jobId);
      return details === null
        ? null
        : {
            jid: details.jid,
            state: details.state,
            startTime: details['start-time'],
            endTime: details['end-time'],
            vertexIds: details.vertices.filter((v) => v.status === undefined || v.status === 'RUNNING').map((v) => v.id),
            ...(details.plan ? { sourceVertexIds: details.plan.nodes.filter((n) => n.inputs === undefined || n.inputs.length === 0).map((n) => n.id) } : {}),
          };
    },
    stopWithSavepoint: (jobId, opts) => rest.stopWithSavepoint(jobId, opts),
    triggerSavepoint: (jobId, opts) => rest.triggerSavepoint(jobId, opts),
    savepointStatus: (jobId, triggerId) => rest.savepointStatus(jobId, triggerId),
    cancel: (jobId) => rest.cancel(jobId),
    rootException: (jobId) => rest.rootException(jobId),
    checkpoints: (jobId) => rest.checkpoints(jobId),
    checkpointStatsMaxAgeMs: () => rest.checkpointStatsMaxAgeMs(),
    vertexBackpressure: (jobId, vertexId) => rest.vertexBackpressure(jobId, vertexId),
    flinkVersion: () => rest.flinkVersion(),
    exceptionHistory: (jobId) => rest.exceptionHistory(jobId),
    jobMetrics: (jobId, names) => rest.jobMetrics(jobId, names),
    vertexMetricSum: (jobId, vertexId, metric) => rest.vertexMetricSum(jobId, vertexId, metric),
    disposeSavepoint: (path) => rest.disposeSavepoint(path),
    savepointDisposalStatus: (triggerId) => rest.savepointDisposalStatus(triggerId),
  };
}

/** Each call's REST route (method and path template): the metrics' `route` label. */
const ROUTES: Record<keyof FlinkClient, string> = {
  uploadJar: 'POST /jars/upload',
  listJarFiles: 'GET /jars',
  deleteJar: 'DELETE /jars/:jarid',
  runJar: 'POST /jars/:jarid/run',
  job: 'GET /jobs/:jobid',
  stopWithSavepoint: 'POST /jobs/:jobid/stop',
  triggerSavepoint: 'POST /jobs/:jobid/savepoints',
  savepointStatus: 'GET /jobs/:jobid/savepoints/:triggerid',
  cancel: 'PATCH /jobs/:jobid',
  rootException: 'GET /jobs/:jobid/exceptions',
  exceptionHistory: 'GET /jobs/:jobid/exceptions',
  checkpoints: 'GET /jobs/:jobid/checkpoints',
  checkpointStatsMaxAgeMs: 'GET /jobmanager/config',
  vertexBackpressure: 'GET /jobs/:jobid/vertices/:vertexid/backpressure',
  flinkVersion: 'GET /config',
  jobMetrics: 'GET /jobs/:jobid/metrics',
  vertexMetricSum: 'GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics',
  disposeSavepoint: 'POST /savepoint-disposal',
  savepointDisposalStatus: 'GET /savepoint-disposal/:triggerid',
};

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('FJC_') ? code : 'FJC_FLINK_ERROR';
}

type Observe = (call: keyof FlinkClient, outcome: 'ok' | 'error', seconds: number, err?: unknown) => void;

function timed(client: FlinkClient, observe: Observe): FlinkClient {
  const wrapped: Record<string, unknown> = {};
  for (const [call, fn] of Object.entries(client) as [keyof FlinkClient, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[call] = async (...args: unknown[]) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await fn(...args);
        observe(call, 'ok', seconds());
        return result;
      } catch (err) {
        observe(call, 'error', seconds(), err);
        throw err;
      }
    };
  }
  return wrapped as unknown as FlinkClient;
}
