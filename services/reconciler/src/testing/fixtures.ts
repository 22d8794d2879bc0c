// Shared by the reconciler's pure tests: one job, one moment, and valid specs of it.
import { validateSpec, type FjcEvent, type JobSpec } from '@fjc/contracts';
import type { IdSource } from '../domain/ids';

export const JOB = 'etl-1';
export const T0 = Date.parse('2026-11-27T10:00:00.000Z');

/** A valid stream spec of JOB (savepoint upgrades), with the given fields changed. */
export function spec(overrides: Record<string, unknown> = {}): JobSpec {
  const result = validateSpec({
    job_id: JOB,
    job_type: 'stream',
    artifact_path: 'infra/flink-test-job/target/fjc-test-job.jar',
    security: { artifact_verification: false },
    deployment: { parallelism: 1, upgrade_mode: 'savepoint' },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

/** An event of JOB as the reconciler reads it; `n` makes its id. */
export function testEvent(
  n: number,
  type: string,
  payload: unknown,
  at: number,
  actor: FjcEvent['actor'] = { kind: 'user', id: 'alice' },
  causationId: string | null = null,
): FjcEvent {
  return {
    id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    schemaVersion: type === 'ActionFailed' ? 2 : 1,
    jobId: JOB,
    streamVersion: 1,
    occurredAt: new Date(at).toISOString(),
    producer: 'test',
    actor,
    correlationId: 'corr-1',
    causationId,
    payload,
  } as FjcEvent;
}

/** Ids counting up from 1: decisions in tests are deterministic. */
export function counterIds(): IdSource {
  let a = 0;
  let f = 0;
  return {
    actionId: () => `00000000-0000-4000-8000-${String(++a).padStart(12, '0')}`,
    flinkId: () => (++f).toString(16).padStart(32, '0'),
  };
}
