// The resolved secret values of a running job, for redaction only: the observer re-resolves the
// secret references of the spec the job was submitted with (its Deploy or Upgrade action) when
// it has Flink text to report (a failure, exceptions). Values stay in memory for that report.
// A secret rotated since the submission is redacted at its new value only: the old value the job
// still runs with is no longer readable by FJC.
import { JobSpecSchema, secretRefsOf } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { submittedSpecOf } from '../observation/observed-jobs';
import type { SecretResolver } from './secret-resolver';

/** The values to redact from what the job's Flink text says; empty when it has no secret references or none resolves. */
export async function jobSecretValues(q: Queryable, resolver: Pick<SecretResolver, 'resolve'>, flinkJobId: string): Promise<string[]> {
  const spec = JobSpecSchema.safeParse(await submittedSpecOf(q, flinkJobId));
  if (!spec.success) return [];
  const refs = secretRefsOf(spec.data);
  if (refs.length === 0) return [];
  // Resolved one by one, so a reference that went missing does not keep the others unredacted.
  const values: string[] = [];
  for (const ref of refs) {
    const resolved = await resolver.resolve(spec.data.namespace, [ref]);
    if (resolved.ok) values.push(...resolved.values.values());
  }
  return values;
}
