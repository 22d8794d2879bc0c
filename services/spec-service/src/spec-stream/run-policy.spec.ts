// Rollback, resume and recover check the version they would run against the policy of now, with
// apply's codes, naming the version.
import { ArtifactPolicySchema } from '@fjc/contracts';
import { decideRecoverJob } from '../use-cases/recover-job/decide-recover-job';
import { decideResumeJob } from '../use-cases/resume-job/decide-resume-job';
import { decideRollbackJob } from '../use-cases/rollback-job/decide-rollback-job';
import { given, specOf, suspended, updated } from '../testing/spec-stream-fixtures';

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';
const SIGNED = `ed25519:${'A'.repeat(86)}==`;
// Namespace payments requires signatures now; version 1 was applied before it did.
const policy = ArtifactPolicySchema.parse({ trusted_keys: { release: PEM }, namespaces: { payments: { require: 'signature' } } });
const unsigned = specOf({ namespace: 'payments', artifact_signature: undefined });
const signed = specOf({ namespace: 'payments', artifact_signature: SIGNED, deployment: { parallelism: 2 } });
const refusal = (version: number) => ({
  kind: 'rejected',
  errors: [{ code: 'FJC_SPEC_SIGNATURE_REQUIRED', path: 'artifact_signature', message: expect.stringContaining(`version ${version} cannot run under the current policy`) }],
});

describe('a version the current policy does not allow', () => {
  it('is not rolled back to, with the apply code naming the version; an allowed one is', () => {
    const history = given(updated(1, unsigned), updated(2, signed), updated(3, specOf({ namespace: 'payments', artifact_signature: SIGNED })));
    expect(decideRollbackJob(history, { toVersion: 1 }, policy)).toEqual(refusal(1));
    expect(decideRollbackJob(history, { toVersion: 2 }, policy)).toMatchObject({ kind: 'append', version: 4 });
  });

  it('is not resumed', () => {
    expect(decideResumeJob(given(updated(1, unsigned), suspended(2, unsigned)), {}, policy)).toEqual(refusal(2));
    expect(decideResumeJob(given(updated(1, signed), suspended(2, signed)), {}, policy)).toMatchObject({ kind: 'append', version: 3 });
  });

  it('is not recovered', () => {
    const from = { kind: 'empty-state' } as const;
    expect(decideRecoverJob(given(updated(1, unsigned)), { requestId: 'r', from }, policy)).toEqual(refusal(1));
    expect(decideRecoverJob(given(updated(1, signed)), { requestId: 'r', from }, policy)).toMatchObject({ kind: 'append' });
  });

  it('names a secret reference outside the namespace with FJC_SECRET_OUT_OF_NAMESPACE', () => {
    const foreign = specOf({ namespace: 'payments', artifact_signature: SIGNED, env_vars: { DB_PASSWORD: { secretRef: 'orders/db' } } });
    expect(decideRollbackJob(given(updated(1, foreign), updated(2, signed)), { toVersion: 1 }, policy)).toEqual({
      kind: 'rejected',
      errors: [expect.objectContaining({ code: 'FJC_SECRET_OUT_OF_NAMESPACE', path: 'env_vars.DB_PASSWORD.secretRef' })],
    });
  });
});
