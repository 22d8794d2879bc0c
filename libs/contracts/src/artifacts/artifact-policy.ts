// The operators' artifact policy (FJC_ARTIFACT_POLICY_FILE, YAML): which public keys sign jars
// and what each namespace requires of a spec's jar. The spec-service applies it when a spec is
// applied (nothing is accepted that the deployer would refuse) and the deployer again before any
// upload. A spec can add checks, never remove what its namespace requires. Pure: reading the
// file is the services' part.
import { z } from 'zod';
import type { JobSpec } from '../spec/job-spec';
import type { SpecError } from '../spec/spec-error';
import { JOB_ID_PATTERN } from '../spec/field-types';
import { formatFieldPath, type PathSegment } from '../spec/field-path';
import { isSecretRef, SECRET_REF_PATTERN, type SecretOrText } from '../spec/secret-ref';

/** none: anything the spec asks; digest: a sha256 or a signature; signature: an Ed25519 signature by a trusted key. */
export const ARTIFACT_REQUIREMENTS = ['none', 'digest', 'signature'] as const;
export type ArtifactRequirement = (typeof ARTIFACT_REQUIREMENTS)[number];

const KeyNameSchema = z.string().regex(JOB_ID_PATTERN, 'must be 1 to 63 lowercase letters, digits or "-"');

const NamespaceRuleSchema = z.strictObject({
  require: z.enum(ARTIFACT_REQUIREMENTS),
  /** Keys whose signatures this namespace accepts; all trusted keys when absent. */
  keys: z.array(KeyNameSchema).min(1).optional(),
});

export const ArtifactPolicySchema = z
  .strictObject({
    /** Ed25519 public keys in PEM (SPKI), by name. */
    trusted_keys: z
      .record(KeyNameSchema, z.string().regex(/-----BEGIN PUBLIC KEY-----/, 'must be an Ed25519 public key in PEM ("-----BEGIN PUBLIC KEY-----")'))
      .default({}),
    default: NamespaceRuleSchema.prefault({ require: 'none' }),
    namespaces: z.record(z.string().regex(JOB_ID_PATTERN, 'must be a namespace name'), NamespaceRuleSchema).default({}),
    /** Secret name prefixes a namespace may refer to besides its own ("<namespace>/..."). */
    secret_prefixes: z
      .record(
        z.string().regex(JOB_ID_PATTERN, 'must be a namespace name'),
        z.array(z.string().regex(SECRET_REF_PATTERN, 'must be a secret name prefix: segments of letters, digits, "_", "." or "-" joined by "/"')),
      )
      .default({}),
  })
  .superRefine((policy, ctx) => {
    const rules = [['default', policy.default] as const, ...Object.entries(policy.namespaces).map(([ns, r]) => [`namespaces.${ns}`, r] as const)];
    for (const [where, rule] of rules) {
      for (const key of rule.keys ?? []) {
        if (!(key in policy.trusted_keys)) ctx.addIssue({ code: 'custom', path: [...where.split('.'), 'keys'], message: `names "${key}", which is not in trusted_keys` });
      }
      if (rule.require === 'signature' && Object.keys(policy.trusted_keys).length === 0) {
        ctx.addIssue({ code: 'custom', path: [...where.split('.'), 'require'], message: 'is signature, but trusted_keys is empty' });
      }
    }
  });
export type ArtifactPolicy = z.output<typeof ArtifactPolicySchema>;

/** Without a policy file nothing is required. */
export const OPEN_ARTIFACT_POLICY: ArtifactPolicy = ArtifactPolicySchema.parse({});

/** What `namespace` requires, and the names of the keys it accepts. */
export function namespaceRule(policy: ArtifactPolicy, namespace: string): { readonly require: ArtifactRequirement; readonly keys: readonly string[] } {
  // Own keys only: a namespace named like an Object.prototype member ("constructor") is not a rule.
  const rule = (Object.hasOwn(policy.namespaces, namespace) ? policy.namespaces[namespace] : undefined) ?? policy.default;
  return { require: rule.require, keys: rule.keys ?? Object.keys(policy.trusted_keys) };
}

/** Why `spec` breaks its namespace's policy; empty when it does not. */
export function artifactPolicyErrors(spec: Pick<JobSpec, 'namespace' | 'artifact_signature' | 'security'>, policy: ArtifactPolicy): SpecError[] {
  const { require } = namespaceRule(policy, spec.namespace);
  if (require === 'none') return [];
  const what = require === 'signature' ? 'an Ed25519 signature ("ed25519:...") by a trusted key' : 'a digest ("sha256:...") or a signature';
  const errors: SpecError[] = [];
  if (!spec.security.artifact_verification) {
    errors.push({
      path: 'security.artifact_verification',
      code: 'FJC_SPEC_VERIFICATION_REQUIRED',
      message: `cannot be false in namespace ${spec.namespace}: its artifact policy requires ${what}`,
    });
  }
  const signature = spec.artifact_signature;
  const satisfied = signature !== undefined && (require === 'digest' || signature.startsWith('ed25519:'));
  if (!satisfied) {
    errors.push({ path: 'artifact_signature', code: 'FJC_SPEC_SIGNATURE_REQUIRED', message: `must be ${what}: the artifact policy of namespace ${spec.namespace} requires it` });
  }
  return errors;
}

/** The secret name prefixes a namespace may refer to: its own name, plus what `secret_prefixes` grants it. */
export function secretPrefixes(policy: ArtifactPolicy, namespace: string): readonly string[] {
  const extra = Object.hasOwn(policy.secret_prefixes, namespace) ? policy.secret_prefixes[namespace] : [];
  return [namespace, ...extra];
}

/** Whether a spec of `namespace` may refer to secret `ref`: it lies under one of the namespace's prefixes ("team-a/db/password" under "team-a"). */
export function secretRefAllowed(policy: ArtifactPolicy, namespace: string, ref: string): boolean {
  return secretPrefixes(policy, namespace).some((prefix) => ref.startsWith(`${prefix}/`));
}

const outOfNamespace = (policy: ArtifactPolicy, namespace: string, ref: string): string =>
  `refers to secret ${ref}, outside namespace ${namespace}: a spec may refer only to secrets named ${secretPrefixes(policy, namespace)
    .map((p) => `${p}/...`)
    .join(' or ')} (operators grant more prefixes with secret_prefixes in FJC_ARTIFACT_POLICY_FILE)`;

/** Every {secretRef} of `spec` that its namespace may not refer to, by field (FJC_SECRET_OUT_OF_NAMESPACE). */
export function secretScopeErrors(
  spec: { readonly namespace: string; readonly args: readonly SecretOrText[]; readonly env_vars: Readonly<Record<string, SecretOrText>> },
  policy: ArtifactPolicy,
): SpecError[] {
  const holders: [PathSegment[], SecretOrText][] = [
    ...spec.args.map((arg, i): [PathSegment[], SecretOrText] => [['args', i, 'secretRef'], arg]),
    ...Object.entries(spec.env_vars).map(([name, value]): [PathSegment[], SecretOrText] => [['env_vars', name, 'secretRef'], value]),
  ];
  return holders.flatMap(([path, value]) =>
    isSecretRef(value) && !secretRefAllowed(policy, spec.namespace, value.secretRef)
      ? [{ path: formatFieldPath(path), code: 'FJC_SECRET_OUT_OF_NAMESPACE' as const, message: outOfNamespace(policy, spec.namespace, value.secretRef) }]
      : [],
  );
}
