// The plan of applying a spec, pure: from the spec stream (every version), the status read
// model (what runs) and the deployer's cluster overview, what the reconciler will do, in its
// order. The class and the stream transition come from the reconciler's own functions
// (classifySpecChange, specTransition in libs/contracts), so the plan and the decision agree.
import {
  classifySpecChange,
  keepsState,
  specTransition,
  type JobSpec,
  type LifecycleState,
  type PlanChangeClass,
  type PlanResponse,
  type PlanStep,
  type PlanWarning,
  type PlanWarningCode,
  type SpecWarning,
} from '@fjc/contracts';
import type { SpecVersionEntry } from '../../spec-stream/spec-stream';
import { jarChange, slotsOf, specDiff, type ClusterOverview } from './plan-parts';

/** The job's lifecycle as the status read model has it. */
export interface PlannedJobStatus {
  readonly state: LifecycleState;
  readonly flinkJobId: string | null;
  readonly deployedVersion: number | null;
  readonly lastStableVersion: number | null;
  readonly failedVersion: number | null;
  readonly candidate: boolean;
}

export interface PlanInput {
  readonly jobId: string;
  /** The validated, canonical spec. */
  readonly spec: JobSpec;
  readonly specHash: string;
  /** The spec's own warnings, as apply returns them. */
  readonly specWarnings: readonly SpecWarning[];
  /** Every version of the job's stream, oldest first. */
  readonly versions: readonly SpecVersionEntry[];
  readonly deleted: boolean;
  /** The version applying would make, or the current one when `changed` is false. */
  readonly version: number;
  readonly changed: boolean;
  readonly status: PlannedJobStatus | null;
  /** The SHA-256 the deployer recorded for the running Flink job's jar. */
  readonly recordedSha256: string | null;
  /** The newest savepoint FJC recorded for the job (not disposed). */
  readonly newestSavepoint: string | null;
  readonly cluster: ClusterOverview | null;
  readonly now: Date;
}

/** Lifecycle states in which a Flink job of the job exists and is not being ended. */
const FLINK_JOB_STATES: ReadonlySet<LifecycleState> = new Set(['DEPLOYING', 'RUNNING', 'RESTARTING', 'FAILING', 'UPGRADING', 'ROLLING_BACK', 'ROLLED_BACK', 'SUSPENDING']);
/** ... and in which Flink runs it (ROLLED_BACK: the last stable version runs). */
const FLINK_RUNNING_STATES: ReadonlySet<LifecycleState> = new Set(['RUNNING', 'ROLLED_BACK']);

interface Course {
  readonly changeClass: PlanChangeClass;
  readonly steps: PlanStep[];
  readonly warnings: PlanWarning[];
}

export function planChange(input: PlanInput): PlanResponse {
  const { spec, status } = input;
  const current = input.deleted ? null : (input.versions.at(-1) ?? null);
  const deployed = status?.deployedVersion != null ? (input.versions.find((v) => v.version === status.deployedVersion) ?? null) : null;
  const base = current === null ? null : (deployed ?? current);
  const runningJob = status && status.flinkJobId && FLINK_JOB_STATES.has(status.state) ? status.flinkJobId : null;
  const course = courseOf(input, current, base, runningJob);
  const starts = course.steps.find((s) => s.kind === 'start' || s.kind === 'schedule');
  const endsJob = course.steps.some((s) => s.kind === 'stop-with-savepoint' || s.kind === 'cancel');
  const released = endsJob && base && base.spec.cluster === spec.cluster ? base.spec.deployment.parallelism : 0;
  const slots = slotsOf(spec.cluster, starts ? spec.deployment.parallelism : 0, released, input.cluster, input.now);
  const warnings = [...input.specWarnings.map((w) => ({ ...w })), ...course.warnings, ...statusWarnings(input, current, deployed)];
  if (slots.enough === false) {
    warnings.push(planWarning('FJC_PLAN_NOT_ENOUGH_SLOTS', 'deployment.parallelism', `needs ${slots.needed} slots on cluster ${spec.cluster}, but ${slots.free} are free${released > 0 ? ` (+${released} freed first)` : ''}; the new Flink job would wait for slots and fail`));
  } else if (slots.enough === null && slots.needed > 0) {
    warnings.push(planWarning('FJC_PLAN_SLOTS_UNKNOWN', 'cluster', `slots of cluster ${spec.cluster} are ${slots.note}`));
  }
  return {
    jobId: input.jobId,
    changeClass: course.changeClass,
    changed: input.changed,
    version: input.version,
    currentVersion: current?.version ?? null,
    comparedWith: base ? { version: base.version, as: deployed ? 'deployed' : 'current' } : null,
    jobType: spec.job_type,
    summary: summaryOf(course),
    steps: course.steps,
    job: status ? { ...status } : null,
    slots,
    jar: jarChange(base?.spec ?? null, spec, runningJob ? input.recordedSha256 : null, starts !== undefined),
    diff: base ? specDiff(base.spec, spec) : [],
    warnings,
    plannedAt: input.now.toISOString(),
  };
}

function courseOf(input: PlanInput, current: SpecVersionEntry | null, base: SpecVersionEntry | null, runningJob: string | null): Course {
  const { spec, version } = input;
  const p = spec.deployment.parallelism;
  if (current === null || base === null) {
    if (spec.state === 'suspended') return { changeClass: 'new-job', steps: [nothing(`version ${version} is recorded; nothing starts while the spec asks for suspended`)], warnings: [] };
    if (spec.job_type === 'batch') return { changeClass: 'new-job', steps: batchRuns(spec, version, null), warnings: [] };
    return { changeClass: 'new-job', steps: [start(version, p, 'empty', `start version ${version} as a new Flink job with parallelism ${p}, with empty state`)], warnings: [] };
  }
  if (!input.changed) return { changeClass: 'none', steps: [nothing(`the spec equals version ${version}: applying it changes nothing`)], warnings: [] };
  const contentClass = classifySpecChange(base.spec, spec);
  if (current.spec.state === 'running' && spec.state === 'suspended') return suspend(input, runningJob);
  if (current.spec.state === 'suspended' && spec.state === 'running') return resume(input, runningJob);
  if (spec.state === 'suspended') {
    return { changeClass: contentClass, steps: [nothing(`the job stays suspended; version ${version} takes effect when it is resumed`)], warnings: [] };
  }
  if (spec.job_type === 'batch') return { changeClass: contentClass, steps: batchRuns(spec, version, runningJob), warnings: [] };
  if (runningJob === null) {
    return { changeClass: contentClass, steps: [startFromNewest(input, `no Flink job of ${input.jobId} runs now (${input.status?.state ?? 'CREATED'})`)], warnings: [] };
  }
  return streamUpgrade(input, base.spec, runningJob);
}

/** A running stream job gets new content: adopted, or upgraded as the reconciler's specTransition says. */
function streamUpgrade(input: PlanInput, deployed: JobSpec, flinkJobId: string): Course {
  const { spec, version, status } = input;
  const transition = specTransition(deployed, spec);
  if (transition.kind === 'adopt') {
    const why = transition.change === 'none' ? 'it runs the same content' : 'only fields FJC reads itself changed';
    return { changeClass: transition.change, steps: [{ kind: 'keep', flinkJobId, text: `keep Flink job ${flinkJobId} running: version ${version} is adopted without touching Flink (${why})` }], warnings: [] };
  }
  const p = spec.deployment.parallelism;
  const steps: PlanStep[] = [];
  const warnings: PlanWarning[] = [];
  if (status && !FLINK_RUNNING_STATES.has(status.state)) {
    steps.push({ kind: 'wait', flinkJobId, text: `wait until Flink job ${flinkJobId} is RUNNING (now ${status.state}): an upgrade starts only from a running job` });
    warnings.push(planWarning('FJC_PLAN_WAITS_FOR_RUNNING', '', `the job is ${status.state}, not RUNNING: the upgrade waits until it runs`));
  }
  switch (transition.upgradeMode) {
    case 'savepoint': {
      const where = spec.deployment.savepoint_path ? ` to ${spec.deployment.savepoint_path}` : '';
      steps.push({ kind: 'stop-with-savepoint', flinkJobId, text: `stop Flink job ${flinkJobId} with a savepoint${where}` });
      steps.push(start(version, p, 'stop-savepoint', `start version ${version} from that savepoint as a new Flink job with parallelism ${p}`));
      break;
    }
    case 'last-state':
      steps.push({ kind: 'cancel', flinkJobId, text: `cancel Flink job ${flinkJobId}, keeping its newest retained checkpoint (refused before cancelling when Flink retains none: the job keeps running)` });
      steps.push(start(version, p, 'retained-checkpoint', `start version ${version} from that checkpoint as a new Flink job with parallelism ${p}`));
      break;
    case 'stateless':
      steps.push({ kind: 'cancel', flinkJobId, text: `cancel Flink job ${flinkJobId}` });
      steps.push(start(version, p, 'empty', `start version ${version} as a new Flink job with parallelism ${p}, with empty state`));
      warnings.push(planWarning('FJC_PLAN_STATE_DROPPED', 'deployment.upgrade_mode', `upgrade_mode stateless: the state of Flink job ${flinkJobId} is not carried over; version ${version} starts empty`));
      break;
  }
  if (status?.candidate) {
    warnings.push(planWarning('FJC_PLAN_CANDIDATE_REPLACED', '', `version ${status.deployedVersion} has not passed its stability gates yet; version ${version} replaces it and becomes the candidate`));
  }
  return { changeClass: transition.change, steps, warnings };
}

function suspend(input: PlanInput, runningJob: string | null): Course {
  const { spec, version } = input;
  if (spec.job_type === 'batch') {
    const steps = runningJob ? [{ kind: 'cancel' as const, flinkJobId: runningJob, text: `cancel the run in progress (Flink job ${runningJob})` }] : [];
    return { changeClass: 'suspend', steps: [...steps, nothing('no scheduled run starts while suspended (due runs are skipped)')], warnings: [] };
  }
  if (runningJob === null) return { changeClass: 'suspend', steps: [nothing(`no Flink job runs; version ${version} records the suspended state`)], warnings: [] };
  const where = spec.deployment.savepoint_path ? ` to ${spec.deployment.savepoint_path}` : '';
  return {
    changeClass: 'suspend',
    steps: [{ kind: 'stop-with-savepoint', flinkJobId: runningJob, text: `stop Flink job ${runningJob} with a savepoint${where}` }, nothing(`nothing starts until the job is resumed (from that savepoint)`)],
    warnings: [],
  };
}

function resume(input: PlanInput, runningJob: string | null): Course {
  const { spec, version } = input;
  if (spec.job_type === 'batch') return { changeClass: 'resume', steps: batchRuns(spec, version, runningJob), warnings: [] };
  return { changeClass: 'resume', steps: [startFromNewest(input, 'the job is resumed')], warnings: [] };
}

/** A stream job started without an upgrade: the reconciler resumes from the newest savepoint it recorded. */
function startFromNewest(input: PlanInput, why: string): PlanStep {
  const { spec, version, newestSavepoint } = input;
  const p = spec.deployment.parallelism;
  if (newestSavepoint && keepsState(spec)) {
    return start(version, p, 'newest-savepoint', `${why}: start version ${version} from the newest savepoint ${newestSavepoint} with parallelism ${p}`);
  }
  return start(version, p, 'empty', `${why}: start version ${version} with parallelism ${p}${newestSavepoint ? ', from the newest savepoint FJC recorded when one is still known' : ', with empty state (no savepoint is recorded)'}`);
}

function batchRuns(spec: Extract<JobSpec, { job_type: 'batch' }>, version: number, runningJob: string | null): PlanStep[] {
  const p = spec.deployment.parallelism;
  const config = spec.batch_config;
  if (config.cron) {
    const zone = config.timezone ? ` (${config.timezone})` : '';
    const inProgress = runningJob ? `; the run in progress (Flink job ${runningJob}) goes on, and a run due meanwhile follows concurrency_policy ${config.concurrency_policy}` : '';
    return [{ kind: 'schedule', version, parallelism: p, text: `each run on cron "${config.cron}"${zone} starts a new Flink job of version ${version} with parallelism ${p}${inProgress}` }];
  }
  const wait: PlanStep[] = runningJob ? [{ kind: 'wait', flinkJobId: runningJob, text: `wait for the run in progress (Flink job ${runningJob}) to end` }] : [];
  return [...wait, start(version, p, 'empty', `run version ${version} once as a new Flink job with parallelism ${p} (a batch job never restores state)`)];
}

function statusWarnings(input: PlanInput, current: SpecVersionEntry | null, deployed: SpecVersionEntry | null): PlanWarning[] {
  const status = input.status;
  if (!status || current === null) return [];
  const warnings: PlanWarning[] = [];
  if (status.state === 'NEEDS_ATTENTION') {
    warnings.push(planWarning('FJC_PLAN_NEEDS_ATTENTION', '', 'the job lost its state and waits for an operator: nothing is started or upgraded until `fjc recover` decides'));
  }
  if (deployed && deployed.version !== current.version) {
    warnings.push(planWarning('FJC_PLAN_UPGRADE_IN_FLIGHT', '', `version ${current.version} is not deployed yet (version ${deployed.version} is); the plan compares with version ${deployed.version}, and the reconciler goes straight to version ${input.version}`));
  }
  if (status.failedVersion !== null) {
    const failed = input.versions.find((v) => v.version === status.failedVersion);
    const again = failed?.specHash === input.specHash;
    warnings.push(
      planWarning(
        'FJC_PLAN_FAILED_VERSION',
        '',
        again
          ? `this spec is the content of version ${status.failedVersion}, which failed and was rolled back: it would be tried again as version ${input.version}`
          : `version ${status.failedVersion} failed and was rolled back${status.lastStableVersion !== null ? ` to version ${status.lastStableVersion}` : ''}`,
      ),
    );
  }
  return warnings;
}

function start(version: number, parallelism: number, restoreFrom: NonNullable<PlanStep['restoreFrom']>, text: string): PlanStep {
  return { kind: 'start', version, parallelism, restoreFrom, text };
}

function nothing(text: string): PlanStep {
  return { kind: 'nothing', text };
}

function planWarning(code: PlanWarningCode, path: string, message: string): PlanWarning {
  return { code, path, message };
}

function summaryOf(course: Course): string {
  const what = course.steps.map((s) => s.text).join('; then ');
  return `${course.changeClass}: ${what}`;
}
