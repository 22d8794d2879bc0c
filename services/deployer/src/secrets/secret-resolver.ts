// Resolving a run request's secret references at submit time, and keeping the values out of
// whatever the deployer says afterwards: a failure message Flink sends back passes through
// `redact`, which replaces every resolved value with the name of its reference.
import { isSecretRef, OPEN_ARTIFACT_POLICY, secretRefAllowed, secretPrefixes, type ArtifactPolicy, type SecretOrText } from '@fjc/contracts';
import { failure, type ActionFailure } from '../actions/action-outcome';
import { SecretReadError, type SecretProvider } from './secret-providers';

export interface ResolvedSecrets {
  readonly ok: true;
  /** Reference -> value. */
  readonly values: ReadonlyMap<string, string>;
}

export class SecretResolver {
  constructor(
    private readonly providers: readonly SecretProvider[],
    /** Which secret names each namespace may use (`<namespace>/...` plus its secret_prefixes). */
    private readonly policy: ArtifactPolicy = OPEN_ARTIFACT_POLICY,
  ) {}

  /**
   * Every reference's value, or FJC_SECRET_NOT_FOUND naming the first missing reference and where
   * it was looked for. First, before any provider is asked, every reference must lie in
   * `namespace`'s scope (FJC_SECRET_OUT_OF_NAMESPACE, not retryable): the spec-service checks
   * this at apply, this is the second line for a policy changed since or a record that skipped it.
   */
  async resolve(namespace: string, refs: readonly string[]): Promise<ResolvedSecrets | ActionFailure> {
    const outside = refs.filter((ref) => !secretRefAllowed(this.policy, namespace, ref));
    if (outside.length > 0) {
      const allowed = secretPrefixes(this.policy, namespace).map((p) => `${p}/...`).join(', ');
      return failure('FJC_SECRET_OUT_OF_NAMESPACE', `secret ${outside.join(', ')} is outside namespace ${namespace} (allowed: ${allowed})`, false);
    }
    const values = new Map<string, string>();
    for (const ref of refs) {
      const value = await this.first(ref);
      if (value === undefined) {
        const where = this.providers.map((p) => p.where(ref)).join(', ');
        return failure('FJC_SECRET_NOT_FOUND', `secret ${ref} was not found (looked for: ${where})`, false);
      }
      if (value instanceof SecretReadError) return failure('FJC_SECRET_UNREADABLE', value.message, true);
      values.set(ref, value);
    }
    return { ok: true, values };
  }

  private async first(ref: string): Promise<string | SecretReadError | undefined> {
    for (const provider of this.providers) {
      try {
        const value = await provider.read(ref);
        if (value !== undefined) return value;
      } catch (err) {
        if (err instanceof SecretReadError) return err;
        throw err;
      }
    }
    return undefined;
  }
}

/** Program arguments with every {secretRef} replaced by its value (all must be in `values`). */
export function withSecrets(args: readonly SecretOrText[], values: ReadonlyMap<string, string>): string[] {
  return args.map((arg) => {
    if (!isSecretRef(arg)) return arg;
    const value = values.get(arg.secretRef);
    if (value === undefined) throw new Error(`secret ${arg.secretRef} was not resolved`);
    return value;
  });
}

/** `text` with every resolved value (longest first, so one containing another goes whole) replaced by "[secret <ref>]". */
export function redact(text: string, values: ReadonlyMap<string, string>): string {
  const byLength = [...values].filter(([, value]) => value !== '').sort(([, a], [, b]) => b.length - a.length);
  return byLength.reduce((out, [ref, value]) => out.split(value).join(`[secret ${ref}]`), text);
}

/** What stands for a secret value in what the observer reports (JobObserved.failure, JobExceptionObserved) and logs. */
export const REDACTED = '[REDACTED]';

/** `text` with every value (longest first) replaced by [REDACTED]; empty values are ignored. */
export function redactValues(text: string, values: Iterable<string>): string {
  const byLength = [...values].filter((v) => v !== '').sort((a, b) => b.length - a.length);
  return byLength.reduce((out, value) => out.split(value).join(REDACTED), text);
}
