// Submitting a job under the Flink job id the reconciler chose: the run request is exactly
// flinkSubmission(spec) of the contracts, with its secret references resolved, plus the state to
// restore from. Repeating it is safe: a job Flink already has under that id means an earlier
// attempt submitted it.
import { flinkSubmission, secretRefsOf, type FlinkSubmission, type JobSpec } from '@fjc/contracts';
import { redact, withSecrets } from '../../secrets/secret-resolver';
import { failureOfError, type Step } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { decideAfterRun, duplicateWithoutJob, shouldLookBeforeSubmitting } from './submission-step';

export interface Submission {
  readonly flinkJobId: string;
  readonly spec: JobSpec;
  /** Savepoint or retained checkpoint to start from. */
  readonly restorePath?: string;
}

type Submitted = Step<{ alreadySubmitted: boolean }>;

export async function submitJob(ctx: CarryOutContext, sub: Submission): Promise<Submitted> {
  if (shouldLookBeforeSubmitting(ctx.attempt) && (await ctx.flink.job(sub.flinkJobId)) !== null) {
    ctx.log({ event: 'flink.job.found', flinkJobId: sub.flinkJobId }, 'an earlier attempt already submitted the job');
    return { ok: true, alreadySubmitted: true };
  }
  const request = flinkSubmission(sub.spec);
  // Secrets are read now, for this request only. env_vars references are resolved too, so a
  // missing one fails here, although a session cluster cannot pass them to the job.
  const secrets = await ctx.secrets.resolve(sub.spec.namespace, secretRefsOf(sub.spec));
  if (!secrets.ok) return secrets;
  // Flink's answer to a failed main() may quote the arguments: no resolved value goes further.
  try {
    const outcome = await runWith(ctx, sub, request, withSecrets(request.programArgs, secrets.values));
    return outcome.ok ? outcome : { ...outcome, message: redact(outcome.message, secrets.values) };
  } catch (err) {
    const failed = failureOfError(err);
    return { ...failed, message: redact(failed.message, secrets.values) };
  }
}

async function runWith(ctx: CarryOutContext, sub: Submission, request: FlinkSubmission, programArgs: string[]): Promise<Submitted> {
  for (let reuploaded = false; ; reuploaded = true) {
    const jar = await ctx.jars.ensureJar(sub.spec, ctx.cluster, ctx.flink, { reupload: reuploaded });
    if (!jar.ok) return jar;
    await ctx.recordJar({ jarId: jar.jarId, sha256: jar.sha256 });
    const run = await ctx.flink.runJar(jar.jarId, {
      jobId: sub.flinkJobId,
      entryClass: request.entryClass,
      programArgsList: programArgs,
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
