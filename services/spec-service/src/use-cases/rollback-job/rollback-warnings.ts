// What a rollback to version N could lose, pure: warnings shown to whoever asked for it, in the
// shape of the spec warnings ({path, message, code}). The reconciler restores N's newest
// savepoint (matched by version or spec hash); with none, the running job's state is carried
// over as in an upgrade, and that state only restores into N when Flink derives the same max
// parallelism for both (the spec has no max_parallelism field, so Flink always derives it).
import type { JobSpec, RollbackWarningCode, SavepointView } from '@fjc/contracts';

export interface RollbackWarning {
  readonly path: string;
  readonly message: string;
  readonly code: RollbackWarningCode;
}

export interface RollbackWarningInput {
  /** The operator named the savepoint to start from. */
  readonly named?: boolean;
  readonly toVersion: number;
  readonly target: { readonly specHash: string; readonly spec: JobSpec };
  /** The version whose job runs now (job_status.deployed_version), and its spec; null when none runs. */
  readonly running: { readonly version: number; readonly spec: JobSpec } | null;
  readonly savepoints: readonly SavepointView[];
}

/** Flink's default max parallelism (KeyGroupRangeAssignment.computeDefaultMaxParallelism):
 *  roundUpToPowerOfTwo(p + p/2), clamped to [128, 32768]. */
export function derivedMaxParallelism(parallelism: number): number {
  const wanted = parallelism + Math.floor(parallelism / 2);
  let power = 1;
  while (power < wanted) power *= 2;
  return Math.min(Math.max(power, 128), 32_768);
}

export function rollbackWarnings({ named = false, toVersion, target, running, savepoints }: RollbackWarningInput): RollbackWarning[] {
  if (target.spec.deployment.upgrade_mode === 'stateless') return [];
  const warnings: RollbackWarning[] = [];
  if (target.spec.deployment.allow_non_restored_state) {
    warnings.push({
      code: 'FJC_ROLLBACK_NON_RESTORED_STATE',
      path: 'deployment.allow_non_restored_state',
      message: `version ${toVersion} sets allow_non_restored_state: state that none of its operators claims is dropped on restore`,
    });
  }
  const own = savepoints.some((s) => s.disposedAt === null && (s.version === toVersion || s.specHash === target.specHash));
  if (own || named) return warnings;
  warnings.push({
    code: 'FJC_ROLLBACK_NO_SAVEPOINT',
    path: 'toVersion',
    message:
      running === null
        ? `no savepoint of version ${toVersion} is recorded and no job runs: it starts from a retained checkpoint of version ${toVersion} if one is known, else without state`
        : `no savepoint of version ${toVersion} is recorded: unless a retained checkpoint of it is known, FJC carries the running job's state (version ${running.version}) over as in an upgrade`,
  });
  if (running !== null) {
    const from = derivedMaxParallelism(running.spec.deployment.parallelism);
    const to = derivedMaxParallelism(target.spec.deployment.parallelism);
    if (from !== to) {
      warnings.push({
        code: 'FJC_ROLLBACK_MAX_PARALLELISM_CHANGED',
        path: 'deployment.parallelism',
        message: `version ${toVersion} (parallelism ${target.spec.deployment.parallelism}) gets max parallelism ${to} from Flink, the running version ${running.version} (parallelism ${running.spec.deployment.parallelism}) has ${from}: its keyed state cannot be restored into version ${toVersion}`,
      });
    }
  }
  return warnings;
}
