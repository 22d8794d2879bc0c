// Use case: the plan of applying a spec (POST /api/v1/jobs/{jobId}/plan), a dry run. Apply's own
// validation, authorization and decision run first (ApplySpec.preview), so a plan is refused
// exactly where apply would be; nothing is appended. Then, in numbered steps: 1. what runs (the
// status read model), 2. the job's events (recorded savepoints, the running jar's SHA-256),
// 3. the deployer's overview of the target cluster, 4. the pure plan.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { canonicalSpec, decodeEvent, specHash, type LifecycleState, type PlanResponse } from '@fjc/contracts';
import { readJobEvents, toEnvelope, type Queryable, type StoredEvent } from '@fjc/event-log';
import { CLOCK, type Clock } from '@fjc/service-runtime';
import type { CommandError } from '../../spec-stream/command-error';
import type { CommandContext } from '../../spec-stream/spec-command-runner';
import { findClusterOverview } from '../../read-model/cluster-overview-query';
import { ApplySpec, type ApplySpecInput } from '../apply-spec/apply-spec';
import { savepointsOf } from '../list-savepoints/savepoints-of';
import { planChange, type PlannedJobStatus } from './plan-change';

export type PlanResult = { readonly ok: true; readonly plan: PlanResponse } | { readonly ok: false; readonly errors: readonly CommandError[] };

@Injectable()
export class PlanSpec {
  constructor(
    private readonly applySpec: ApplySpec,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(tx: Queryable, input: ApplySpecInput, context: CommandContext): Promise<PlanResult> {
    const preview = await this.applySpec.preview(tx, input, context);
    if (!preview.ok) {
      const code = preview.errors[0]?.code ?? 'no code';
      this.logger.log({ msg: `plan ${input.jobId}: refused (${code})`, event: 'spec.plan', jobId: input.jobId, status: 'rejected', code, ...causeFields(context) }, 'spec-commands');
      return preview;
    }
    const { stream, command } = preview;
    const spec = canonicalSpec(command.spec);
    // 1. What runs.
    const status = await jobStatus(tx, input.jobId);
    // 2. Its savepoints and the jar the deployer uploaded for the running Flink job.
    const events = await readJobEvents(tx, input.jobId);
    const newestSavepoint = savepointsOf(events).find((s) => s.disposedAt === null)?.path ?? null;
    // 3. The target cluster as the deployer last saw it.
    const cluster = await findClusterOverview(tx, spec.cluster);
    const plan = planChange({
      jobId: input.jobId,
      spec,
      specHash: specHash(spec),
      specWarnings: command.warnings,
      versions: stream.versions,
      deleted: stream.deleted,
      version: preview.version,
      changed: preview.changed,
      status,
      recordedSha256: status?.flinkJobId ? recordedSha256(events, status.flinkJobId) : null,
      newestSavepoint,
      cluster,
      now: this.clock.now(),
    });
    this.logger.log(
      { msg: `plan ${input.jobId}: ${plan.changeClass}, ${plan.steps.length} steps, ${plan.warnings.length} warnings`, event: 'spec.plan', jobId: input.jobId, changeClass: plan.changeClass, ...causeFields(context) },
      'spec-commands',
    );
    return { ok: true, plan };
  }
}

function causeFields({ cause }: CommandContext) {
  return { actor: cause.actor, correlationId: cause.correlationId };
}

async function jobStatus(q: Queryable, jobId: string): Promise<PlannedJobStatus | null> {
  const res = await q.query<{ state: LifecycleState; flink_job_id: string | null; deployed_version: number | null; last_stable_version: number | null; failed_version: number | null; candidate: boolean | null }>(
    'select state, flink_job_id, deployed_version, last_stable_version, failed_version, candidate from job_status where job_id = $1',
    [jobId],
  );
  const row = res.rows[0];
  if (!row) return null;
  return {
    state: row.state,
    flinkJobId: row.flink_job_id,
    deployedVersion: row.deployed_version,
    lastStableVersion: row.last_stable_version,
    failedVersion: row.failed_version,
    candidate: row.candidate ?? false,
  };
}

/** The SHA-256 the deployer recorded (ActionSucceeded.artifact) when it started this Flink job. */
function recordedSha256(events: readonly StoredEvent[], flinkJobId: string): string | null {
  for (const stored of [...events].reverse()) {
    if (stored.type !== 'ActionSucceeded') continue;
    const decoded = decodeEvent(toEnvelope(stored));
    if (!decoded.ok || decoded.event.type !== 'ActionSucceeded') continue;
    const p = decoded.event.payload;
    if ((p.kind === 'Deploy' || p.kind === 'Upgrade') && p.flinkJobId === flinkJobId) return p.artifact?.sha256 ?? null;
  }
  return null;
}
