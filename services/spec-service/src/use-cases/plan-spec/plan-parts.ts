// The parts of a plan that only compare: the diff of two specs with each field's effect, the jar
// change, and the slots the plan needs against what the deployer last saw free. Pure.
import { changedSpecFields, fieldEffect, specValueAt, type JobSpec, type PlanFieldChange, type PlanJar, type PlanSlots } from '@fjc/contracts';

/** The deployer's latest overview of a cluster (table cluster_overview). */
export interface ClusterOverview {
  readonly cluster: string;
  readonly slotsTotal: number | null;
  readonly slotsFree: number | null;
  readonly taskManagers: number | null;
  readonly flinkVersion: string | null;
  /** The last overview that answered; null: never. */
  readonly observedAt: Date | null;
  /** The last attempt, and why it failed (null: it answered). */
  readonly checkedAt: Date;
  readonly error: string | null;
}

/** Older than this, the plan says the slot count may be out of date. */
export const STALE_OVERVIEW_SECONDS = 300;

export function specDiff(from: JobSpec, to: JobSpec): PlanFieldChange[] {
  return changedSpecFields(from, to).map((path) => ({
    path,
    old: specValueAt(from, path) ?? null,
    new: specValueAt(to, path) ?? null,
    effect: fieldEffect(path)?.onChange ?? 'redeploy',
  }));
}

/** The hex SHA-256 an artifact_signature declares ("sha256:..."); an ed25519 signature declares none. */
function declaredSha256(spec: JobSpec): string | null {
  const signature = spec.artifact_signature;
  return signature?.startsWith('sha256:') ? signature.slice('sha256:'.length) : null;
}

/** `recordedSha256`: what the deployer recorded (ActionSucceeded.artifact) for the running job's jar. */
export function jarChange(from: JobSpec | null, to: JobSpec, recordedSha256: string | null, submits: boolean): PlanJar {
  const next = { path: to.artifact_path, sha256: declaredSha256(to), sha256Source: declaredSha256(to) ? ('declared' as const) : null };
  const fromSha = from ? (recordedSha256 ?? declaredSha256(from)) : null;
  const previous = from ? { path: from.artifact_path, sha256: fromSha, sha256Source: recordedSha256 ? ('recorded' as const) : fromSha ? ('declared' as const) : null } : null;
  const digestsDiffer = previous?.sha256 != null && next.sha256 !== null && previous.sha256 !== next.sha256;
  const changed = previous === null || previous.path !== next.path || digestsDiffer;
  const note = !submits
    ? 'no new Flink job is submitted: the running jar stays'
    : next.sha256 === null
      ? 'the deployer reads the jar at submit time and records its SHA-256 then (artifact_signature would pin it now)'
      : 'the deployer checks the jar against artifact_signature before it uploads it';
  return { changed, from: previous, to: next, note };
}

export function slotsOf(cluster: string, needed: number, released: number, overview: ClusterOverview | null, now: Date): PlanSlots {
  if (overview === null || overview.observedAt === null || overview.slotsFree === null) {
    const why = overview?.error ? `the deployer could not read cluster ${cluster} (${overview.error})` : `the deployer has not observed cluster ${cluster} yet`;
    return { cluster, needed, released, free: null, total: null, taskManagers: null, flinkVersion: null, observedAt: null, ageSeconds: null, enough: null, note: `unknown: ${why}` };
  }
  const ageSeconds = Math.max(0, Math.round((now.getTime() - overview.observedAt.getTime()) / 1000));
  const free = overview.slotsFree;
  const enough = free + released >= needed;
  const parts = [`${free} of ${overview.slotsTotal ?? '?'} slots free ${ageSeconds} s ago`];
  if (released > 0) parts.push(`${released} freed by the job stopped first`);
  if (overview.error && overview.checkedAt > overview.observedAt) parts.push(`the last check failed: ${overview.error}`);
  if (ageSeconds > STALE_OVERVIEW_SECONDS) parts.push('may be out of date');
  return {
    cluster,
    needed,
    released,
    free,
    total: overview.slotsTotal,
    taskManagers: overview.taskManagers,
    flinkVersion: overview.flinkVersion,
    observedAt: overview.observedAt.toISOString(),
    ageSeconds,
    enough,
    note: parts.join('; '),
  };
}
