// The service-level report, pure: per job, the runs or windows of [from, to) that met their
// service level and the SlaMissed the reconciler recorded for them.
//   batch:  judged = runs started in the range (Deploy requested) that finished or missed;
//           met = finished without a miss
//   stream: judged = whole windows of the current sla.window inside the range (and before now);
//           met = judged - missed
import type { JobSpec, SlaJobReport, SlaMissView } from '@fjc/contracts';

export interface SlaJobInput {
  readonly jobId: string;
  readonly spec: JobSpec;
  /** Deploys requested in the range: the Flink job id of each run started. */
  readonly runsStarted: readonly string[];
  /** Flink job ids seen FINISHED. */
  readonly finished: ReadonlySet<string>;
  readonly misses: readonly SlaMissView[];
}

export function targetOf(spec: JobSpec): string | null {
  if (spec.job_type === 'batch') {
    const sla = spec.batch_config.sla;
    if (!sla) return null;
    return [sla.deadline !== undefined ? `finished by ${sla.deadline} ${spec.batch_config.timezone}` : null, sla.within !== undefined ? `finished within ${sla.within / 1000} s` : null].filter((x) => x !== null).join(' and ');
  }
  const sla = spec.stream_config.sla;
  return sla ? `${sla.availability}% RUNNING per ${sla.window / 1000} s window` : null;
}

export function slaReportOf(job: SlaJobInput, from: Date, to: Date, now: Date): SlaJobReport {
  const missed = job.misses;
  let judged: number;
  let met: number;
  if (job.spec.job_type === 'batch') {
    const missedRuns = new Set(missed.map((m) => m.run?.flinkJobId).filter((id): id is string => id !== undefined));
    const runs = job.runsStarted;
    met = runs.filter((id) => job.finished.has(id) && !missedRuns.has(id)).length;
    judged = runs.filter((id) => job.finished.has(id) || missedRuns.has(id)).length;
    return { jobId: job.jobId, namespace: job.spec.namespace, jobType: 'batch', target: targetOf(job.spec), judged, met, missed: missedRuns.size, misses: [...missed] };
  }
  const window = job.spec.stream_config.sla?.window;
  const end = Math.min(to.getTime(), now.getTime());
  judged = window ? Math.max(0, Math.floor(end / window) - Math.ceil(from.getTime() / window)) : 0;
  const missedWindows = new Set(missed.map((m) => m.window?.start).filter((s): s is string => s !== undefined)).size;
  judged = Math.max(judged, missedWindows);
  met = judged - missedWindows;
  return { jobId: job.jobId, namespace: job.spec.namespace, jobType: 'stream', target: targetOf(job.spec), judged, met, missed: missedWindows, misses: [...missed] };
}
