// When `fjc apply --wait` is done with a version, decided from the job's status alone (pure):
//   stream, desired running   stable: RUNNING, deployedVersion >= V, not a candidate (its
//                             stability gates passed, so lastStableVersion >= V; a version that
//                             only changed metadata is adopted by the running job as it is)
//   batch, desired running    a one-off run: FINISHED with deployedVersion >= V (the run of V
//                             finished); with a cron schedule: SCHEDULED (or FINISHED when its
//                             max_runs are spent): the scheduler starts V's runs from now on
//   desired suspended         SUSPENDED
// It failed when V is the failedVersion (its job failed or its gates did not pass, and FJC
// rolled back or gave up), when a status about V (desiredVersion >= V) is FAILED or ROLLED_BACK,
// when the job NEEDS_ATTENTION (it waits for `fjc recover`), or when it was deleted. A newer
// version applied meanwhile supersedes V: the wait ends without success.
import type { JobView } from '@fjc/contracts';

export type VersionOutcome =
  | { readonly kind: 'stable'; readonly message: string }
  | { readonly kind: 'failed' | 'superseded'; readonly message: string };

export function versionOutcome(job: JobView, version: number): VersionOutcome | null {
  const about = (job.desiredVersion ?? 0) >= version;
  const error = job.lastError ? `: ${job.lastError.code}: ${job.lastError.message}` : '';
  if (job.deleted || job.state === 'DELETING' || job.state === 'DELETED') return { kind: 'failed', message: `the job was deleted (${job.state})` };
  if (job.version === version || about) {
    const done = doneMessage(job, version);
    if (done !== null) return { kind: 'stable', message: done };
  }
  if (job.failedVersion === version) return { kind: 'failed', message: `version ${version} failed (${job.state}${job.lastStableVersion === null ? '' : `, last stable version ${job.lastStableVersion}`})${error}` };
  if (job.state === 'NEEDS_ATTENTION') return { kind: 'failed', message: `the job needs attention (fjc recover)${error}` };
  if (about && (job.state === 'FAILED' || job.state === 'ROLLED_BACK')) return { kind: 'failed', message: `version ${version} failed (${job.state})${error}` };
  if (job.version > version) return { kind: 'superseded', message: `version ${job.version} was applied before version ${version} was done` };
  return null;
}

function doneMessage(job: JobView, version: number): string | null {
  const deployed = (job.deployedVersion ?? 0) >= version;
  const flink = `flink job ${job.flinkJobId ?? '-'}`;
  if (job.desiredState === 'suspended') return job.state === 'SUSPENDED' ? `version ${version} is suspended` : null;
  if (job.spec.job_type === 'batch') {
    if (job.spec.batch_config.cron !== undefined) return job.state === 'SCHEDULED' || job.state === 'FINISHED' ? `version ${version} is ${job.state.toLowerCase()}` : null;
    return job.state === 'FINISHED' && deployed ? `version ${version} finished (${flink})` : null;
  }
  return job.state === 'RUNNING' && deployed && !job.candidate && job.failedVersion !== version ? `version ${version} is stable (RUNNING, ${flink})` : null;
}

/** What a progress line shows; a new line is printed when it changes. */
export function progressLine(job: JobView): string {
  const candidate = job.candidate ? ' (candidate)' : '';
  const error = job.lastError ? ` [${job.lastError.code}]` : '';
  return `${job.jobId}: ${job.state}${candidate}, version ${job.deployedVersion ?? '-'} deployed, flink job ${job.flinkJobId ?? '-'}: ${job.reason ?? '-'}${error}`;
}
