// Test data for the scheduler's unit tests: valid specs and spec-stream events built through
// the contracts' own schemas, so a fixture can never be a shape production would refuse.
// Not part of the built service.
import { FjcEventSchema, specHash, validateSpec, type FjcEvent, type JobSpec } from '@fjc/contracts';
import type { Schedule } from '../schedule/schedule';

export const JOB_ID = 'nightly-report';
const SIGNATURE = `sha256:${'0123456789abcdef'.repeat(4)}`;

export function batchSpec(batchConfig: Record<string, unknown>, extra: Record<string, unknown> = {}): JobSpec {
  return spec({ job_id: JOB_ID, job_type: 'batch', artifact_path: 'jobs/report.jar', artifact_signature: SIGNATURE, batch_config: batchConfig, ...extra });
}

export function streamSpec(): JobSpec {
  return spec({ job_id: JOB_ID, job_type: 'stream', artifact_path: 'jobs/report.jar', artifact_signature: SIGNATURE });
}

function spec(input: Record<string, unknown>): JobSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(`fixture spec is invalid: ${JSON.stringify(result.errors)}`);
  return result.spec;
}

let counter = 0;
/** A distinct, valid uuid per fixture event. */
export function nextId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

type VersionEventType = 'SpecUpdated' | 'JobSuspendRequested' | 'JobResumeRequested' | 'JobRolledBack';

export function versionEvent(type: VersionEventType, version: number, s: JobSpec): FjcEvent {
  const common = { version, specHash: specHash(s), spec: s };
  const payload =
    type === 'SpecUpdated'
      ? { ...common, warnings: [] }
      : type === 'JobRolledBack'
        ? { ...common, fromVersion: version - 1, toVersion: 1 }
        : common;
  return envelope(type, version, payload);
}

export function deleteEvent(lastVersion: number): FjcEvent {
  return envelope('JobDeleteRequested', lastVersion + 1, { lastVersion });
}

export function savepointEvent(): FjcEvent {
  return envelope('SavepointRequested', 1, { requestId: nextId() });
}

function envelope(type: string, streamVersion: number, payload: unknown): FjcEvent {
  return FjcEventSchema.parse({
    id: nextId(),
    type,
    schemaVersion: 1,
    jobId: JOB_ID,
    streamVersion,
    occurredAt: '2025-03-01T10:00:00.000Z',
    producer: 'spec-service',
    actor: { kind: 'user', id: 'alice' },
    correlationId: nextId(),
    causationId: null,
    payload,
  });
}

/** An active schedule, for tick decisions. */
export function activeSchedule(fields: Partial<Schedule> & Pick<Schedule, 'cron' | 'nextFireAt'>): Schedule {
  return {
    jobId: JOB_ID,
    specVersion: 1,
    sourceEventId: '00000000-0000-4000-8000-00000000ffff',
    state: 'active',
    timezone: 'UTC',
    maxRuns: null,
    runsSoFar: 0,
    startingDeadlineSeconds: null,
    ...fields,
  };
}
