// One realistic example of every message, for round-trip and registry tests.
import type { z } from 'zod';
import { specHash } from '../spec/canonical';
import type { JobSpec } from '../spec/job-spec';
import { validateSpec } from '../spec/validate-spec';
import type { FjcEventSchema, FjcEventType } from '../messages/event-catalog';
import { SIGNATURE } from './spec-cases';

type EventInput = z.input<typeof FjcEventSchema>;
type PayloadInput<T extends FjcEventType> = Extract<EventInput, { type: T }>['payload'];

function spec(input: Record<string, unknown>): JobSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

export const SAMPLE_SPEC = spec({
  job_id: 'orders-enricher',
  job_type: 'stream',
  artifact_path: 'jobs/orders.jar',
  artifact_signature: SIGNATURE,
  deployment: { parallelism: 2, upgrade_mode: 'savepoint' },
});
const SUSPENDED_SPEC = { ...SAMPLE_SPEC, state: 'suspended' } as JobSpec;
const FLINK_JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const NEXT_FLINK_JOB = '0f9e8d7c6b5a49382716f5e4d3c2b1a0';
const TRIGGER = '00112233445566778899aabbccddeeff';
const ACTION = '7d444840-9dc0-11d1-b245-5ffdce74fad2';

export const PAYLOAD_SAMPLES: { readonly [T in FjcEventType]: PayloadInput<T> } = {
  SpecUpdated: {
    version: 3,
    specHash: specHash(SAMPLE_SPEC),
    spec: SAMPLE_SPEC,
    warnings: [{ path: 'resources.memory', code: 'FJC_SPEC_CLUSTER_LEVEL', message: 'has no effect on a session cluster: ...' }],
  },
  JobSuspendRequested: { version: 4, specHash: specHash(SUSPENDED_SPEC), spec: SUSPENDED_SPEC, reason: 'maintenance window' },
  JobResumeRequested: { version: 5, specHash: specHash(SAMPLE_SPEC), spec: SAMPLE_SPEC },
  JobRolledBack: { version: 6, specHash: specHash(SAMPLE_SPEC), spec: SAMPLE_SPEC, fromVersion: 5, toVersion: 3 },
  JobDeleteRequested: { lastVersion: 6, reason: 'retired' },
  SavepointRequested: { requestId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', targetDirectory: 'file:///data/savepoints/manual' },
  JobRecoveryRequested: { requestId: '6c8e2f4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b', from: { kind: 'savepoint', path: 'file:///data/savepoints/savepoint-1a2b3c-0123456789ab' } },
  ScheduleTick: { scheduledTime: '2025-03-30T00:00:00.000Z', specVersion: 2, runNumber: 17, cron: '0 2 * * *', timezone: 'Europe/Berlin' },
  ActionRequested: {
    actionId: ACTION,
    cluster: 'default',
    action: {
      kind: 'Upgrade',
      fromFlinkJobId: FLINK_JOB,
      flinkJobId: NEXT_FLINK_JOB,
      specVersion: 3,
      spec: SAMPLE_SPEC,
      upgradeMode: 'savepoint',
      savepointTriggerId: TRIGGER,
    },
  },
  ActionStarted: { actionId: ACTION, kind: 'Upgrade', attempt: 1 },
  ActionSucceeded: {
    actionId: ACTION,
    kind: 'Upgrade',
    flinkJobId: NEXT_FLINK_JOB,
    savepoint: { triggerId: TRIGGER, location: 'file:/data/savepoints/savepoint-a1b2c3-0123456789ab' },
  },
  ActionFailed: {
    actionId: ACTION,
    kind: 'Deploy',
    error: { code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', message: 'jobs/orders.jar has sha256:ffff..., the spec says sha256:0123...', retryable: false },
  },
  JobObserved: {
    flinkJobId: FLINK_JOB,
    flinkState: 'RUNNING',
    startTime: '2025-03-30T00:00:05.000Z',
    lastCheckpoint: { id: 42, path: 'file:/data/checkpoints/a1b2/chk-42', completedAt: '2025-03-30T00:10:05.000Z' },
    savepoint: { triggerId: TRIGGER, status: 'IN_PROGRESS' },
    backpressure: 'ok',
    restarts: 0,
    checkpoints: { completed: 42, failed: 0, inProgress: 1 },
    recordsOutPerSecond: 118.5,
  },
  JobExceptionObserved: {
    flinkJobId: FLINK_JOB,
    exceptionId: '5f2b8c1e0d4a3f6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
    timestamp: '2025-03-30T00:12:00.000Z',
    rootCause: { name: 'java.lang.IllegalStateException', message: 'lookup failed for token [REDACTED]' },
    taskName: 'Source: orders -> Map (1/2)#3',
    location: 'localhost:6122',
    restartCount: 3,
  },
  LifecycleChanged: {
    from: 'RUNNING',
    to: 'UPGRADING',
    desiredVersion: 3,
    deployedVersion: 2,
    lastStableVersion: 2,
    flinkJobId: FLINK_JOB,
    reason: 'spec version 3 changes args: upgrade with a savepoint',
    lastError: null,
    alert: false,
  },
  StabilityConfirmed: {
    version: 3,
    flinkJobId: NEXT_FLINK_JOB,
    evidence: { flinkState: 'RUNNING', runningForMs: 31_000, candidateForMs: 33_000, checkpointsCompleted: 2, restarts: 0, recordsOutPerSecond: 19.5, backpressure: 'ok' },
  },
  StabilityFailed: {
    version: 3,
    flinkJobId: NEXT_FLINK_JOB,
    error: { code: 'FJC_STABILITY_GATE_TIMEOUT', message: 'version 3 did not pass its stability gates within 10m: 0 of 1 checkpoints completed' },
    evidence: { flinkState: 'RUNNING', runningForMs: 600_000, candidateForMs: 601_000, checkpointsCompleted: 0, restarts: 0, recordsOutPerSecond: null, backpressure: null },
    rollback: true,
  },
  RollbackStarted: {
    fromVersion: 3,
    toVersion: 2,
    trigger: 'automatic',
    reason: 'version 3 failed its stability gates (FJC_STABILITY_GATE_TIMEOUT)',
    restoreFrom: { kind: 'savepoint', path: 'file:/data/savepoints/savepoint-a1b2c3-0123456789ab' },
  },
  RollbackCompleted: {
    fromVersion: 3,
    toVersion: 2,
    flinkJobId: FLINK_JOB,
    restoredFrom: { kind: 'savepoint', path: 'file:/data/savepoints/savepoint-a1b2c3-0123456789ab' },
  },
  SavepointRecorded: {
    path: 'file:/data/savepoints/savepoint-a1b2c3-0123456789ab',
    version: 2,
    specHash: `sha256:${'a'.repeat(64)}`,
    flinkJobId: FLINK_JOB,
    takenAt: '2025-03-30T00:20:00.000Z',
    origin: 'upgrade',
  },
  VersionAdopted: { version: 4, reason: 'metadata-only' },
  TickSkipped: { scheduledTime: '2025-03-30T02:00:00.000Z', runNumber: 7, reason: 'forbid' },
  SlaMissed: {
    objective: 'deadline',
    version: 3,
    run: { runNumber: 7, flinkJobId: 'a'.repeat(32), scheduledAt: '2025-03-30T02:00:00.000Z', dueAt: '2025-03-30T04:00:00.000Z' },
    window: null,
    target: 'finished by 06:00 Europe/Berlin',
    actual: 'still RUNNING at the deadline',
  },
  AttentionNeeded: { error: { code: 'FJC_STATE_NOT_FOUND', message: 'the Flink job 0f9e... is gone (NOT_FOUND) and no retained checkpoint or savepoint of it is known' } },
  RecoveryApplied: { from: 'empty-state', suspended: true },
  JobRedeployed: { version: 2, attempt: 1 },
  TemplateVersionRecorded: {
    name: 'stream-base',
    version: 2,
    templateHash: `sha256:${'ab'.repeat(32)}`,
    template: { name: 'stream-base', parameters: { parallelism: { type: 'integer', default: 1, required: false, min: 1 } }, spec: { job_type: 'stream', deployment: { parallelism: '${params.parallelism}' } } },
  },
  BatchRunExpired: {
    version: 3,
    flinkJobId: FLINK_JOB,
    runNumber: 4,
    limit: 'ttl_seconds',
    limitSeconds: 3600,
    cancelAt: '2025-03-30T03:00:30.000Z',
    error: { code: 'FJC_BATCH_TTL_EXCEEDED', message: 'run 4 was still going after batch_config.ttl_seconds (3600 s)' },
  },
  BatchRunRetried: {
    version: 3,
    runNumber: 4,
    failedFlinkJobId: FLINK_JOB,
    attempt: 2,
    maxAttempts: 3,
    retryAt: '2025-03-30T03:02:00.000Z',
    error: { code: 'FJC_FLINK_JOB_FAILED', message: 'java.lang.IllegalStateException: boom' },
  },
  PipelineApplied: { pipelineId: 'etl', version: 1, spec: { pipeline_id: 'etl', namespace: 'default', stages: [{ name: 'extract', type: 'batch', depends_on: [], job: { cluster: 'default', artifact_path: 'j.jar', parallelism: 1, args: [] }, outputs: {}, retries: { max_retries: 0, backoff: 10000, max_backoff: 300000 } }], failure_policy: { on_failure: 'stop' }, labels: {} } },
  PipelineRunStarted: { runId: 'etl-1', pipelineId: 'etl', pipelineVersion: 1, trigger: 'manual', scheduledTime: '2026-11-29T06:00:00.000Z' },
  StageRunRequested: { runId: 'etl-1', stage: 'extract', attempt: 1, jobId: 'etl-extract', args: ['batch'], outputs: { path: '/data' } },
  StageRunFinished: { runId: 'etl-1', stage: 'extract', attempt: 1, flinkJobId: FLINK_JOB },
  StageRunFailed: { runId: 'etl-1', stage: 'extract', attempt: 1, reason: 'FAILED in Flink', retryAt: null },
  StageSkipped: { runId: 'etl-1', stage: 'load', reason: 'stage extract failed' },
  PipelineRunEnded: { runId: 'etl-1', status: 'FAILED', reason: 'stage(s) extract failed' },
  PipelineRunRetryRequested: { runId: 'etl-1', fromStage: 'extract', pipelineVersion: 2, stages: ['extract'] },
  JobUnhealthy: {
    version: 2,
    flinkJobId: FLINK_JOB,
    restarts: 11,
    windowMs: 600_000,
    remedy: 'redeploy',
  },
};

let counter = 0;
/** An envelope around a payload, with fresh ids. */
export function envelope<T extends FjcEventType>(type: T, payload: unknown, schemaVersion: number): Record<string, unknown> {
  counter += 1;
  return {
    id: `9f1c6c3e-5d1a-4c2b-8e6f-${String(counter).padStart(12, '0')}`,
    type,
    schemaVersion,
    jobId: 'orders-enricher',
    streamVersion: counter,
    occurredAt: '2025-03-30T00:00:00.000Z',
    producer: 'reconciler',
    actor: { kind: 'service', id: 'reconciler' },
    correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    causationId: counter === 1 ? null : 'c0ffee00-0000-4000-8000-000000000002',
    payload,
  };
}
