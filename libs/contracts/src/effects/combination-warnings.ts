// Warnings about fields that other fields of the same spec make irrelevant. They look at what
// the person wrote (not at defaults), so a field is only reported when it was actually set.
import type { JobSpec } from '../spec/job-spec';
import type { SpecWarning, SpecWarningCode } from '../spec/spec-error';
import { isRecord } from '../spec/schema-walk';

export interface CombinationRule {
  readonly path: string;
  readonly code: SpecWarningCode;
  readonly message: string;
  /** `written` is the spec as given, before defaults. */
  readonly when: (spec: JobSpec, written: unknown) => boolean;
}

function isWritten(written: unknown, path: string): boolean {
  let node: unknown = written;
  for (const key of path.split('.')) {
    if (!isRecord(node) || !(key in node)) return false;
    node = node[key];
  }
  return node !== undefined;
}

const withoutCron = (spec: JobSpec): boolean => spec.job_type === 'batch' && spec.batch_config.cron === undefined;

export const COMBINATION_RULES: readonly CombinationRule[] = [
  ...(['deployment.max_restart_attempts', 'deployment.restart_delay'] as const).map(
    (path): CombinationRule => ({
      path,
      code: 'FJC_SPEC_NO_EFFECT',
      message: 'has no effect: deployment.restart_strategy is none, so Flink never restarts the job',
      when: (spec, written) => spec.deployment.restart_strategy === 'none' && isWritten(written, path),
    }),
  ),
  {
    path: 'deployment.checkpoint_interval',
    code: 'FJC_SPEC_NO_EFFECT',
    message: 'has no effect on a batch job: Flink takes no checkpoints in BATCH mode',
    when: (spec, written) => spec.job_type === 'batch' && isWritten(written, 'deployment.checkpoint_interval'),
  },
  {
    path: 'deployment.allow_non_restored_state',
    code: 'FJC_SPEC_NO_EFFECT',
    message: 'has no effect: with upgrade_mode stateless the job never restores state',
    when: (spec) => spec.deployment.allow_non_restored_state && spec.deployment.upgrade_mode === 'stateless',
  },
  {
    path: 'artifact_signature',
    code: 'FJC_SPEC_NO_EFFECT',
    message: 'is not checked: security.artifact_verification is false',
    when: (spec) => spec.artifact_signature !== undefined && !spec.security.artifact_verification,
  },
  ...(['batch_config.timezone', 'batch_config.max_runs', 'batch_config.starting_deadline_seconds', 'batch_config.concurrency_policy'] as const).map(
    (path): CombinationRule => ({
      path,
      code: 'FJC_SPEC_NO_EFFECT',
      message: 'has no effect without batch_config.cron: the job runs once per applied version',
      when: (spec, written) => withoutCron(spec) && isWritten(written, path),
    }),
  ),
  {
    path: 'stream_config.max_concurrent_checkpoints',
    code: 'FJC_SPEC_NO_EFFECT',
    message: 'has no effect while min_pause_between_checkpoints is above 0: Flink then runs one checkpoint at a time',
    when: (spec) =>
      spec.job_type === 'stream' &&
      spec.stream_config.max_concurrent_checkpoints > 1 &&
      spec.stream_config.min_pause_between_checkpoints > 0,
  },
];

export function combinationWarnings(spec: JobSpec, written: unknown): SpecWarning[] {
  return COMBINATION_RULES.filter((rule) => rule.when(spec, written)).map(({ path, code, message }) => ({ path, code, message }));
}
