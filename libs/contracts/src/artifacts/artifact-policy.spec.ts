import { ArtifactPolicySchema, artifactPolicyErrors, namespaceRule, OPEN_ARTIFACT_POLICY, secretRefAllowed, secretScopeErrors } from './artifact-policy';
import { validateSpec } from '../spec/validate-spec';
import { streamSpec, SIGNATURE } from '../testing/spec-cases';

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';
const ED25519 = `ed25519:${'A'.repeat(86)}==`;
const policy = ArtifactPolicySchema.parse({
  trusted_keys: { release: PEM, other: PEM },
  default: { require: 'digest' },
  namespaces: { payments: { require: 'signature', keys: ['release'] }, sandbox: { require: 'none' } },
});
const spec = (overrides: Record<string, unknown>) => {
  const r = validateSpec({ ...streamSpec(), ...overrides });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
};

describe('artifact policy', () => {
  it('requires nothing without a file', () => {
    expect(artifactPolicyErrors(spec({ artifact_signature: undefined, security: { artifact_verification: false } }), OPEN_ARTIFACT_POLICY)).toEqual([]);
  });

  it('gives each namespace its rule, the default otherwise, and all trusted keys unless the rule names some', () => {
    expect(namespaceRule(policy, 'payments')).toEqual({ require: 'signature', keys: ['release'] });
    expect(namespaceRule(policy, 'team-a')).toEqual({ require: 'digest', keys: ['release', 'other'] });
    // A namespace named like an Object.prototype member gets the default, not Object's members.
    expect(namespaceRule(OPEN_ARTIFACT_POLICY, 'constructor')).toEqual({ require: 'none', keys: [] });
    expect(artifactPolicyErrors(spec({ namespace: 'constructor', artifact_signature: undefined }), OPEN_ARTIFACT_POLICY)).toEqual([]);
  });

  it('refuses what a namespace requires and the spec lacks or turns off, naming the field and code', () => {
    expect(artifactPolicyErrors(spec({ namespace: 'payments', artifact_signature: SIGNATURE }), policy)).toEqual([
      expect.objectContaining({ path: 'artifact_signature', code: 'FJC_SPEC_SIGNATURE_REQUIRED' }),
    ]);
    expect(artifactPolicyErrors(spec({ namespace: 'payments', artifact_signature: ED25519, security: { artifact_verification: false } }), policy)).toEqual([
      expect.objectContaining({ path: 'security.artifact_verification', code: 'FJC_SPEC_VERIFICATION_REQUIRED' }),
    ]);
    expect(artifactPolicyErrors(spec({ namespace: 'team-a', artifact_signature: undefined }), policy)).toEqual([
      expect.objectContaining({ path: 'artifact_signature', code: 'FJC_SPEC_SIGNATURE_REQUIRED' }),
    ]);
  });

  it('accepts what satisfies the rule', () => {
    expect(artifactPolicyErrors(spec({ namespace: 'payments', artifact_signature: ED25519 }), policy)).toEqual([]);
    expect(artifactPolicyErrors(spec({ namespace: 'team-a', artifact_signature: SIGNATURE }), policy)).toEqual([]);
    expect(artifactPolicyErrors(spec({ namespace: 'sandbox', artifact_signature: undefined, security: { artifact_verification: false } }), policy)).toEqual([]);
  });

  it('refuses a file that names unknown keys or requires signatures without keys, naming the field', () => {
    const bad = ArtifactPolicySchema.safeParse({ namespaces: { payments: { require: 'signature', keys: ['nope'] } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['namespaces.payments.keys', 'namespaces.payments.require']));
    expect(ArtifactPolicySchema.safeParse({ default: { require: 'always' } }).success).toBe(false);
  });
});

describe('secret references by namespace', () => {
  const granted = ArtifactPolicySchema.parse({ secret_prefixes: { 'team-a': ['shared/kafka'] } });

  it('allows "<namespace>/..." and the granted prefixes, whole segments only', () => {
    expect(secretRefAllowed(OPEN_ARTIFACT_POLICY, 'team-a', 'team-a/db/password')).toBe(true);
    expect(secretRefAllowed(OPEN_ARTIFACT_POLICY, 'team-a', 'team-a')).toBe(false);
    expect(secretRefAllowed(OPEN_ARTIFACT_POLICY, 'team-a', 'team-ab/db')).toBe(false);
    expect(secretRefAllowed(OPEN_ARTIFACT_POLICY, 'team-a', 'team-b/db')).toBe(false);
    expect(secretRefAllowed(granted, 'team-a', 'shared/kafka/password')).toBe(true);
    expect(secretRefAllowed(granted, 'team-a', 'shared/kafkax/password')).toBe(false);
    expect(secretRefAllowed(granted, 'team-b', 'shared/kafka/password')).toBe(false);
    expect(secretRefAllowed(OPEN_ARTIFACT_POLICY, 'constructor', 'x/y')).toBe(false);
  });

  it('names every field holding a reference outside the namespace with FJC_SECRET_OUT_OF_NAMESPACE', () => {
    const s = spec({
      namespace: 'team-a',
      args: ['--a', { secretRef: 'team-a/ok' }, '--b', { secretRef: 'team-b/db/password' }],
      env_vars: { DB_PASSWORD: { secretRef: 'orders-db/password' }, KAFKA: { secretRef: 'shared/kafka/password' }, PLAIN: 'x' },
    });
    expect(secretScopeErrors(s, granted)).toEqual([
      { path: 'args[3].secretRef', code: 'FJC_SECRET_OUT_OF_NAMESPACE', message: expect.stringContaining('refers to secret team-b/db/password, outside namespace team-a') },
      { path: 'env_vars.DB_PASSWORD.secretRef', code: 'FJC_SECRET_OUT_OF_NAMESPACE', message: expect.stringContaining('team-a/... or shared/kafka/...') },
    ]);
    expect(secretScopeErrors(s, OPEN_ARTIFACT_POLICY).map((e) => e.path)).toEqual(['args[3].secretRef', 'env_vars.DB_PASSWORD.secretRef', 'env_vars.KAFKA.secretRef']);
  });

  it('refuses a bad secret_prefixes entry, naming it', () => {
    const r = ArtifactPolicySchema.safeParse({ secret_prefixes: { 'team-a': ['../etc'] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['secret_prefixes', 'team-a', 0]);
  });
});
