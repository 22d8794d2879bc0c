// Pipelines in the spec-service, as a built process against the real PostgreSQL and Kafka:
// apply refuses cycles and unknown references naming them; a run applies the first stage's job
// spec; LifecycleChanged events of the stage jobs, appended as the reconciler does and consumed
// from fjc.job.lifecycle, advance the run (the transforms' job specs carry extract's output);
// a failed stage ends the run FAILED by its policy with the rest skipped; the run's events are
// in its own stream, each naming the run, and the relay publishes them.
import { randomUUID } from 'node:crypto';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { eventually } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

let s: SpecServiceWorld;
beforeAll(async () => {
  s = await startSpecService();
});
afterAll(async () => {
  await s?.close();
});

const P = 'etl-int';
const job = (args: string[]) => ({ artifact_path: 'fjc-test-job.jar', args });
const pipeline = {
  pipeline_id: P,
  stages: [
    { name: 'extract', job: job(['batch', '--name', 'x-${run.id}']), outputs: { part: 'part-${run.id}' } },
    { name: 'clean', depends_on: ['extract'], job: job(['batch', '--name', 'c-${stages.extract.outputs.part}']) },
    { name: 'enrich', depends_on: ['extract'], job: job(['batch', '--name', 'e-${stages.extract.outputs.part}']) },
    { name: 'load', depends_on: ['clean', 'enrich'], job: job(['batch']) },
  ],
};

/** A LifecycleChanged of a stage job, appended to the reconciler's stream as the reconciler does. */
async function lifecycle(jobId: string, streamVersion: number, to: string, version: number) {
  const event = {
    id: randomUUID(),
    type: 'LifecycleChanged',
    schemaVersion: 1,
    jobId,
    streamVersion,
    occurredAt: new Date().toISOString(),
    producer: 'reconciler',
    actor: { kind: 'service' as const, id: 'reconciler' },
    correlationId: randomUUID(),
    causationId: null,
    payload: { from: 'DEPLOYING', to, desiredVersion: version, deployedVersion: version, lastStableVersion: null, flinkJobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', reason: `now ${to}`, lastError: to === 'FAILED' ? { code: 'FJC_FLINK_JOB_FAILED', message: 'boom' } : null, alert: false },
  };
  await inTransaction(s.db, (tx) => appendToStream(tx, `reconciler-${jobId}`, streamVersion === 1 ? 'no-stream' : streamVersion - 1, [newEventOfEnvelope(event)]));
}

describe('pipelines over HTTP', () => {
  it('refuses a cycle and an unknown reference, naming them, and appends nothing', async () => {
    const cyclic = { pipeline_id: P, stages: [{ name: 'a', depends_on: ['b'], job: job([]) }, { name: 'b', depends_on: ['a'], job: job([]) }] };
    expect(await s.http(`/api/v1/pipelines/${P}`, { method: 'PUT', json: cyclic })).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'stages', code: 'FJC_SPEC_INVALID_VALUE', message: 'cycle a -> b -> a (each stage depends on the next)' }] },
    });
    const unknownRef = { pipeline_id: P, stages: [{ name: 'a', job: job(['${stages.a.outputs.x}']) }] };
    const refused = await s.http(`/api/v1/pipelines/${P}`, { method: 'PUT', json: unknownRef });
    expect(refused).toMatchObject({ status: 400, body: { errors: [{ path: 'stages[0].job.args[0]' }] } });
    expect(await s.logOf(P)).toEqual([]);
    expect((await s.http(`/api/v1/pipelines/${P}`, { method: 'PUT', json: pipeline, headers: { authorization: '' } })).status).toBe(401);
  });

  it('runs stages in order from the lifecycle of their jobs, passing outputs, and fails the run by its policy', async () => {
    expect(await s.http(`/api/v1/pipelines/${P}`, { method: 'PUT', json: pipeline })).toMatchObject({ status: 201, body: { pipelineId: P, version: 1, changed: true } });
    expect(await s.http(`/api/v1/pipelines/${P}`, { method: 'PUT', json: pipeline })).toMatchObject({ status: 200, body: { version: 1, changed: false } });
    const started = await s.http(`/api/v1/pipelines/${P}/runs`, { method: 'POST' });
    expect(started.status).toBe(201);
    const runId = started.body.runId as string;
    expect((await s.http(`/api/v1/jobs/${P}-extract`)).body).toMatchObject({ version: 1, spec: { args: ['batch', '--name', `x-${runId}`], labels: { 'fjc.dev/pipeline-run': runId } } });
    expect((await s.http(`/api/v1/jobs/${P}-clean`)).status).toBe(404);

    await lifecycle(`${P}-extract`, 1, 'FINISHED', 1);
    const clean = await eventually('clean applied', () => s.http(`/api/v1/jobs/${P}-clean`), (r) => r.status === 200, { timeoutMs: 30_000 });
    expect(clean.body.spec.args).toEqual(['batch', '--name', `c-part-${runId}`]);
    expect((await s.http(`/api/v1/jobs/${P}-enrich`)).body.spec.args).toEqual(['batch', '--name', `e-part-${runId}`]);

    await lifecycle(`${P}-clean`, 1, 'FAILED', 1);
    const stageOf = (r: { body: { stages: Array<{ stage: string; status: string }> } }, name: string) => r.body.stages.find((st) => st.stage === name)?.status;
    await eventually('clean failed', () => s.http(`/api/v1/pipeline-runs/${runId}`), (r) => stageOf(r, 'clean') === 'failed', { timeoutMs: 30_000 });
    await lifecycle(`${P}-enrich`, 1, 'FINISHED', 1);
    const ended = await eventually('the run ended', () => s.http(`/api/v1/pipeline-runs/${runId}`), (r) => r.body.status !== 'RUNNING', { timeoutMs: 30_000 });
    expect(ended.body).toMatchObject({ status: 'FAILED', reason: 'stage(s) clean failed (failure_policy.on_failure: stop)' });
    expect(ended.body.stages.map((st: { stage: string; status: string }) => [st.stage, st.status])).toEqual([
      ['extract', 'finished'],
      ['clean', 'failed'],
      ['enrich', 'finished'],
      ['load', 'skipped'],
    ]);
    expect((await s.http(`/api/v1/jobs/${P}-load`)).status).toBe(404);
    expect((await s.http(`/api/v1/pipelines/${P}/runs`)).body.runs.map((r: { runId: string }) => r.runId)).toEqual([runId]);

    // The run is a stream of its own; every event names the run; the relay publishes them all.
    const { rows } = await s.db.query<{ type: string; run_id: string }>(`select type, payload->>'runId' as run_id from event_log where stream_id = $1 order by stream_version`, [`pipeline-run-${runId}`]);
    expect(rows.map((r) => r.type)).toEqual(['PipelineRunStarted', 'StageRunRequested', 'StageRunFinished', 'StageRunRequested', 'StageRunRequested', 'StageRunFailed', 'StageSkipped', 'StageRunFinished', 'PipelineRunEnded']);
    expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set([runId]));
    await eventually('every pipeline event published', () => s.relayedCount(P), (n) => n === rows.length + 1, { timeoutMs: 30_000 });

    // retry from a stage that is not there: refused, naming the field
    expect(await s.http(`/api/v1/pipeline-runs/${runId}/retry`, { method: 'POST', json: { from_stage: 'nope' } })).toMatchObject({ status: 400, body: { errors: [{ code: 'FJC_PIPELINE_UNKNOWN_STAGE', path: 'from_stage' }] } });
    expect((await s.http('/api/v1/pipeline-runs/nope')).status).toBe(404);
  });
});
