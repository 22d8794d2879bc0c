// The Flink run request a spec turns into, made by applying the field-effects table and
// nothing else. Pure: the deployer adds what belongs to one deploy (jar id, Flink job id,
// savepoint to restore from) when it submits.
import { z } from 'zod';
import type { JobSpec } from '../spec/job-spec';
import { SecretOrTextSchema, type SecretOrText } from '../spec/secret-ref';
import { SpecWarningSchema, type SpecWarning } from '../spec/spec-error';
import { FIELD_EFFECTS } from './field-effects';

export const FlinkSubmissionSchema = z.object({
  /** Per-job configuration for the run request's flinkConfiguration, keys sorted. */
  flinkConfiguration: z.record(z.string(), z.string()),
  /** Sent as programArgsList once the deployer has resolved the {secretRef} items. */
  programArgs: z.array(SecretOrTextSchema),
  parallelism: z.int().min(1),
  entryClass: z.string().optional(),
  allowNonRestoredState: z.boolean(),
  /** Fields a session cluster cannot honour, and why. */
  warnings: z.array(SpecWarningSchema),
});
export type FlinkSubmission = z.infer<typeof FlinkSubmissionSchema>;

export function flinkSubmission(spec: JobSpec): FlinkSubmission {
  const configuration: Record<string, string> = {};
  const warnings: SpecWarning[] = [];
  let parallelism = 1;
  let entryClass: string | undefined;
  let programArgs: SecretOrText[] = [];
  let allowNonRestoredState = false;

  for (const effect of FIELD_EFFECTS) {
    const part = effect.apply?.(spec) ?? {};
    Object.assign(configuration, part.flinkConfiguration);
    if (part.parallelism !== undefined) parallelism = part.parallelism;
    if (part.entryClass !== undefined) entryClass = part.entryClass;
    if (part.programArgs !== undefined) programArgs = [...part.programArgs];
    if (part.allowNonRestoredState !== undefined) allowNonRestoredState = part.allowNonRestoredState;
    if (effect.warning?.when(spec)) {
      warnings.push({ path: effect.path, code: effect.warning.code, message: effect.warning.message });
    }
  }

  const flinkConfiguration = Object.fromEntries(Object.entries(configuration).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    flinkConfiguration,
    programArgs,
    parallelism,
    ...(entryClass === undefined ? {} : { entryClass }),
    allowNonRestoredState,
    warnings,
  };
}
