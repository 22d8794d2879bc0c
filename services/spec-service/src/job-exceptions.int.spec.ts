// GET /api/v1/jobs/{jobId}/exceptions against the built spec-service on the real PostgreSQL:
// the JobExceptionObserved events the deployer logged, newest first, each with the spec version
// whose Flink job failed (from the reconciler's Deploy action); 404 for a job the log does not
// know, 401 without a token. The answer parses with the contracts' schema, as the CLI reads it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { JobExceptionListSchema } from '@fjc/contracts';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const JOB = 'orders-exceptions';
const specYaml = readFileSync(join(ROOT, 'examples', 'specs', 'stream-stateless.yaml'), 'utf8').replace('job_id: orders-counter-stateless', `job_id: ${JOB}`);
const FLINK_JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

let s: SpecServiceWorld;

beforeAll(async () => {
  s = await startSpecService();
});
afterAll(async () => {
  await s?.close();
});

const envelope = (type: string, producer: string, streamVersion: number, payload: unknown) => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  jobId: JOB,
  streamVersion,
  occurredAt: new Date().toISOString(),
  producer,
  actor: { kind: 'service' as const, id: producer },
  correlationId: 'corr-exceptions',
  causationId: null,
  payload,
});

const exception = (timestamp: string, name: string, message: string) => ({
  flinkJobId: FLINK_JOB,
  exceptionId: `${name}-${timestamp}`,
  timestamp,
  rootCause: { name, message },
  taskName: 'Source: orders -> Map (1/1)#0',
  location: 'localhost:6122',
  restartCount: 1,
});

describe('GET /api/v1/jobs/{jobId}/exceptions', () => {
  it('lists what the deployer recorded, newest first, with the version whose Flink job failed', async () => {
    expect((await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', yaml: specYaml })).status).toBe(201);
    expect(await s.http(`/api/v1/jobs/${JOB}/exceptions`)).toMatchObject({ status: 200, body: { jobId: JOB, exceptions: [] } });

    // As the reconciler and the deployer write them: each to its own stream of the job.
    const deploy = { actionId: randomUUID(), cluster: 'default', action: { kind: 'Deploy', flinkJobId: FLINK_JOB, specVersion: 1, spec: parse(specYaml) } };
    await inTransaction(s.db, (tx) => appendToStream(tx, `reconciler-${JOB}`, 'no-stream', [newEventOfEnvelope(envelope('ActionRequested', 'reconciler', 1, deploy))]));
    const first = exception('2026-01-01T00:00:01.000Z', 'java.lang.IllegalStateException', 'lookup failed');
    const second = exception('2026-01-01T00:00:09.000Z', 'java.io.IOException', 'sink closed');
    await inTransaction(s.db, (tx) =>
      appendToStream(tx, `deployer-${JOB}`, 'no-stream', [
        newEventOfEnvelope(envelope('JobExceptionObserved', 'deployer', 1, first)),
        newEventOfEnvelope(envelope('JobExceptionObserved', 'deployer', 2, second)),
      ]),
    );

    const res = await s.http(`/api/v1/jobs/${JOB}/exceptions`);
    expect(res.status).toBe(200);
    const list = JobExceptionListSchema.parse(res.body);
    expect(list.exceptions.map((e) => [e.rootCause.name, e.version, e.flinkJobId, e.taskName])).toEqual([
      ['java.io.IOException', 1, FLINK_JOB, 'Source: orders -> Map (1/1)#0'],
      ['java.lang.IllegalStateException', 1, FLINK_JOB, 'Source: orders -> Map (1/1)#0'],
    ]);
    expect(BigInt(list.exceptions[0].position)).toBeGreaterThan(BigInt(list.exceptions[1].position));
  });

  it('answers 404 FJC_JOB_NOT_FOUND for a job the log does not know, and 401 without a token', async () => {
    expect(await s.http('/api/v1/jobs/no-such-job/exceptions')).toMatchObject({ status: 404, body: { errors: [{ code: 'FJC_JOB_NOT_FOUND' }] } });
    expect((await s.http(`/api/v1/jobs/${JOB}/exceptions`, { headers: { authorization: '' } })).status).toBe(401);
  });
});
