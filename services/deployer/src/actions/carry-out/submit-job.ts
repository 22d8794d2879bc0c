// Submitting a job under the Flink job id the reconciler chose: the run request is exactly
// flinkSubmission(spec) of the contracts, plus the state to restore from. Repeating it is safe:
// a job Flink already has under that id means an earlier attempt submitted it.
import { flinkSubmission, type JobSpec } from '@fjc/contracts';
import type { Step } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { decideAfterRun, duplicateWithoutJob, shouldLookBeforeSubmitting } from './submission-step';

export interface Submission {
  readonly flinkJobId: string;
  readonly spec: JobSpec;
  /** Savepoint or retained checkpoint to start from. */
  readonly restorePath?: string;
}

export async function submitJob(ctx: CarryOutContext, sub: Submission): Promise<Step<{ alreadySubmitted: boolean }>> {
  if (shouldLookBeforeSubmitting(ctx.attempt) && (await ctx.flink.job(sub.flinkJobId)) !== null) {
    ctx.log({ event: 'flink.job.found', flinkJobId: sub.flinkJobId }, 'an earlier attempt already submitted the job');
    return { ok: true, alreadySubmitted: true };
  }
  const request = flinkSubmission(sub.spec);
  for (let reuploaded = false; ; reuploaded = true) {
    const jar = await ctx.jars.ensureJar(sub.spec, ctx.cluster, ctx.flink, { reupload: reuploaded });
    if (!jar.ok) return jar;
    await ctx.recordJar({ jarId: jar.jarId, sha256: jar.sha256 });
    const run = await ctx.flink.runJar(jar.jarId, {
      jobId: sub.flinkJobId,
      entryClass: request.entryClass,
      programArgsList: request.programArgs,
      parallelism: request.parallelism,
      flinkConfiguration: request.flinkConfiguration,
      allowNonRestoredState: request.allowNonRestoredState,
      savepointPath: sub.restorePath,
    });
    const next = decideAfterRun(run, reuploaded);
    switch (next.kind) {
      case 'submitted':
        ctx.log({ event: 'flink.job.submitted', flinkJobId: sub.flinkJobId, jarId: jar.jarId, restorePath: sub.restorePath }, 'job submitted');
        return { ok: true, alreadySubmitted: false };
      case 'look-for-job':
        return (await ctx.flink.job(sub.flinkJobId)) !== null ? { ok: true, alreadySubmitted: true } : duplicateWithoutJob(sub.flinkJobId);
      case 'failed':
        return next.failure;
      case 'reupload':
        ctx.log({ event: 'flink.jar.missing', jarId: jar.jarId }, 'Flink no longer has the jar; uploading it again');
    }
  }
}
