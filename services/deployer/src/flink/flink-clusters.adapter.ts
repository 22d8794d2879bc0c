// The real FlinkClusters: one REST client per configured session cluster, each call timed into
// the fjc_deployer_flink_call_duration_seconds histogram.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { FlinkRestClient } from '@fjc/flink-client';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { DeployerMetrics } from '../metrics/deployer-metrics';
import type { FlinkClient, FlinkClusters, FlinkJobView } from './flink-port';

@Injectable()
export class RestFlinkClusters implements FlinkClusters, OnApplicationShutdown {
  private readonly rest = new Map<string, FlinkRestClient>();
  private readonly clients = new Map<string, FlinkClient>();

  constructor(@Inject(DEPLOYER_CONFIG) config: DeployerConfig, metrics: DeployerMetrics) {
    for (const [name, url] of Object.entries(config.clusters)) {
      const rest = new FlinkRestClient(url, { timeoutMs: config.flinkTimeoutMs });
      this.rest.set(name, rest);
      this.clients.set(name, timed(restPort(rest), (call, outcome, seconds) => metrics.flinkCalls.observe({ cluster: name, call, outcome }, seconds)));
    }
  }

  client(cluster: string): FlinkClient | null {
    return this.clients.get(cluster) ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.rest.values()].map((c) => c.close().catch(() => undefined)));
  }
}

function restPort(rest: FlinkRestClient): FlinkClient {
  return {
    uploadJar: (path) => rest.uploadJar(path),
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
          };
    },
    stopWithSavepoint: (jobId, opts) => rest.stopWithSavepoint(jobId, opts),
    triggerSavepoint: (jobId, opts) => rest.triggerSavepoint(jobId, opts),
    savepointStatus: (jobId, triggerId) => rest.savepointStatus(jobId, triggerId),
    cancel: (jobId) => rest.cancel(jobId),
    rootException: (jobId) => rest.rootException(jobId),
    checkpoints: (jobId) => rest.checkpoints(jobId),
    vertexBackpressure: (jobId, vertexId) => rest.vertexBackpressure(jobId, vertexId),
    flinkVersion: () => rest.flinkVersion(),
  };
}

type Observe = (call: string, outcome: 'ok' | 'error', seconds: number) => void;

function timed(client: FlinkClient, observe: Observe): FlinkClient {
  const wrapped: Record<string, unknown> = {};
  for (const [call, fn] of Object.entries(client) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[call] = async (...args: unknown[]) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await fn(...args);
        observe(call, 'ok', seconds());
        return result;
      } catch (err) {
        observe(call, 'error', seconds());
        throw err;
      }
    };
  }
  return wrapped as unknown as FlinkClient;
}
