// GET /api/v1/sla against the built spec-service on the real PostgreSQL: per job with a service
// level, the runs of the range that met it and the SlaMissed the reconciler recorded; the
// namespace filter; 400 naming the field for a bad range; 401 without a token. The answer parses
// with the contracts' schema, as the CLI reads it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SlaReportSchema } from '@fjc/contracts';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const batchYaml = (jobId: string, namespace: string) =>
  readFileSync(join(ROOT, 'examples', 'specs', 'batch-once.yaml'), 'utf8')
    .replace('job_id: orders-backfill', `job_id: ${jobId}\nnamespace: ${namespace}`)
    .replace('  ttl_seconds: 600', '  ttl_seconds: 600\n  sla: { within: 5m }');
const RUN_OK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const RUN_LATE = 'b1b2c3d4e5f60718293a4b5c6d7e8f90';

let s: SpecServiceWorld;
beforeAll(async () => {
  s = await startSpecService();
});
afterAll(async () => {
  await s?.close();
});

const envelope = (jobId: string, type: string, producer: string, streamVersion: number, payload: unknown) => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  jobId,
  streamVersion,
  occurredAt: new Date().toISOString(),
  producer,
  actor: { kind: 'service' as const, id: producer },
  correlationId: 'corr-sla',
  causationId: null,
  payload,
});

describe('GET /api/v1/sla', () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = () => new Date(Date.now() + 60_000).toISOString();

  it('reports met and missed runs per job of the namespaces asked for', async () => {
    expect((await s.http('/api/v1/jobs/sla-nightly', { method: 'PUT', yaml: batchYaml('sla-nightly', 'team-a') })).status).toBe(201);
    expect((await s.http('/api/v1/jobs/sla-other', { method: 'PUT', yaml: batchYaml('sla-other', 'team-b') })).status).toBe(201);
    const spec = parse(batchYaml('sla-nightly', 'team-a'));
    const deploy = (flinkJobId: string) => ({ actionId: randomUUID(), cluster: 'default', action: { kind: 'Deploy', flinkJobId, specVersion: 1, spec } });
    const scheduledAt = new Date(Date.now() - 600_000).toISOString();
    const miss = { objective: 'within', version: 1, run: { runNumber: 0, flinkJobId: RUN_LATE, scheduledAt, dueAt: new Date(Date.parse(scheduledAt) + 300_000).toISOString() }, window: null, target: 'finished within 300 s', actual: 'still RUNNING' };
    await inTransaction(s.db, (tx) =>
      appendToStream(tx, 'reconciler-sla-nightly', 'no-stream', [
        newEventOfEnvelope(envelope('sla-nightly', 'ActionRequested', 'reconciler', 1, deploy(RUN_OK))),
        newEventOfEnvelope(envelope('sla-nightly', 'ActionRequested', 'reconciler', 2, deploy(RUN_LATE))),
        newEventOfEnvelope(envelope('sla-nightly', 'SlaMissed', 'reconciler', 3, miss)),
      ]),
    );
    await inTransaction(s.db, (tx) =>
      appendToStream(tx, 'deployer-sla-nightly', 'no-stream', [newEventOfEnvelope(envelope('sla-nightly', 'JobObserved', 'deployer', 1, { flinkJobId: RUN_OK, flinkState: 'FINISHED' }))]),
    );

    const res = await s.http(`/api/v1/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}&namespace=team-a`);
    expect(res.status).toBe(200);
    const report = SlaReportSchema.parse(res.body);
    expect(report.jobs).toEqual([
      expect.objectContaining({ jobId: 'sla-nightly', namespace: 'team-a', jobType: 'batch', target: 'finished within 300 s', judged: 2, met: 1, missed: 1, misses: [expect.objectContaining({ ...miss, recordedAt: expect.any(String) })] }),
    ]);
    const all = SlaReportSchema.parse((await s.http(`/api/v1/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}`)).body);
    expect(all.jobs.map((j) => [j.jobId, j.judged])).toEqual([['sla-nightly', 2], ['sla-other', 0]]);
  });

  it('refuses a bad range naming the field, and answers 401 without a token', async () => {
    expect(await s.http(`/api/v1/sla?from=${encodeURIComponent(to())}&to=${encodeURIComponent(from)}`)).toMatchObject({ status: 400, body: { errors: [{ path: 'to' }] } });
    expect(await s.http(`/api/v1/sla?from=yesterday&to=${encodeURIComponent(to())}`)).toMatchObject({ status: 400, body: { errors: [{ path: 'from' }] } });
    expect((await s.http(`/api/v1/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}`, { headers: { authorization: '' } })).status).toBe(401);
  });
});
