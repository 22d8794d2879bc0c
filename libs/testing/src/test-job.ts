// Reading the Flink test job's keyed counters over REST (see infra/flink-test-job/README.md):
// fjc_total_count is kept in keyed state and survives a savepoint restore; fjc_records counts
// only this run, so total > records proves state was restored.
import type { FlinkRestClient } from '@fjc/flink-client';

export const TEST_JOB_COUNTER_VERTEX = 'counter -> sink: Writer';

export async function testJobCounters(flink: FlinkRestClient, flinkJobId: string): Promise<{ total: number; records: number }> {
  const job = await flink.job(flinkJobId);
  const vertex = job?.vertices.find((v) => v.name === TEST_JOB_COUNTER_VERTEX);
  if (!vertex) throw new Error(`job ${flinkJobId} has no vertex "${TEST_JOB_COUNTER_VERTEX}"`);
  const [total, records] = await Promise.all([
    flink.vertexMetricSum(flinkJobId, vertex.id, 'counter.fjc_total_count'),
    flink.vertexMetricSum(flinkJobId, vertex.id, 'counter.fjc_records'),
  ]);
  return { total: total ?? -1, records: records ?? -1 };
}
