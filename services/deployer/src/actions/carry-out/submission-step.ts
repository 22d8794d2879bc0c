// What to make of Flink's answer to a run request, and when to ask Flink before submitting.
// Pure: the submission is the one call that must never happen twice under two ids, so its
// decisions are spelled out and tested as a table.
import type { RunJarResult } from '../../flink/flink-port';
import { failure, type ActionFailure } from '../action-outcome';

/**
 * An attempt after the first may follow a crash after Flink accepted the job: look for the job
 * under its id before submitting. (A first attempt skips the look-up; if it was retried at the
 * HTTP level, Flink's duplicate-id answer leads to the same look-up.)
 */
export function shouldLookBeforeSubmitting(attempt: number): boolean {
  return attempt > 1;
}

export type AfterRun =
  | { readonly kind: 'submitted' }
  /** Flink says the id is taken: the job is ours if Flink knows it under this id. */
  | { readonly kind: 'look-for-job' }
  /** Flink lost the jar (restarted JobManager): upload it again and run once more. */
  | { readonly kind: 'reupload' }
  | { readonly kind: 'failed'; readonly failure: ActionFailure };

export function decideAfterRun(run: RunJarResult, alreadyReuploaded: boolean): AfterRun {
  if (run.ok) return { kind: 'submitted' };
  switch (run.code) {
    case 'FLINK_DUPLICATE_JOB_ID':
      return { kind: 'look-for-job' };
    case 'FLINK_JAR_NOT_FOUND':
      return alreadyReuploaded
        ? { kind: 'failed', failure: failure('FJC_FLINK_REJECTED', `Flink cannot find the jar it was just given: ${run.message}`, true) }
        : { kind: 'reupload' };
    case 'FLINK_SUBMISSION_FAILED':
      // An answer nobody classified (program errors are FJC_FLINK_PROGRAM_INVALID before this):
      // retryable, and the reconciler bounds how often.
      return { kind: 'failed', failure: failure('FJC_FLINK_REJECTED', run.message, true) };
  }
}

/** A taken id whose job Flink does not show: someone else's, or expired from Flink's history. */
export function duplicateWithoutJob(flinkJobId: string): ActionFailure {
  return failure('FJC_FLINK_DUPLICATE_JOB', `Flink refuses job id ${flinkJobId} as already submitted, but does not show such a job`, false);
}
