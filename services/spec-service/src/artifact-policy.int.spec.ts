// The operators' artifact policy at apply time, in the built spec-service on the real stack: a
// namespace that requires signatures refuses an unsigned spec and one that turns verification off,
// naming the field, and appends nothing; elsewhere artifact_signature stays optional.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const dir = mkdtempSync(join(tmpdir(), 'fjc-artifact-policy-'));
const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const SIGNED = `ed25519:${Buffer.alloc(64, 7).toString('base64')}`;
const spec = (jobId: string, extra: Record<string, unknown>) => ({
  job_id: jobId,
  job_type: 'stream',
  artifact_path: 'infra/flink-test-job/target/fjc-test-job.jar',
  entry_class: 'dev.fjc.testjob.TestJob',
  ...extra,
});

let s: SpecServiceWorld;

beforeAll(async () => {
  const policy = join(dir, 'artifact-policy.yaml');
  writeFileSync(policy, `trusted_keys:\n  release: |\n${pem.trim().split('\n').map((l) => `    ${l}`).join('\n')}\nnamespaces:\n  payments: { require: signature }\n`);
  s = await startSpecService({ FJC_ARTIFACT_POLICY_FILE: policy });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('artifact policy at apply time', () => {
  it('refuses, in a namespace that requires signatures, a spec without one and a spec with a digest only, appending nothing', async () => {
    for (const extra of [{}, { artifact_signature: `sha256:${'a'.repeat(64)}` }]) {
      const res = await s.http('/api/v1/jobs/pay-unsigned', { method: 'PUT', json: spec('pay-unsigned', { namespace: 'payments', ...extra }) });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'artifact_signature', code: 'FJC_SPEC_SIGNATURE_REQUIRED' })]);
    }
    expect(await s.logOf('pay-unsigned')).toEqual([]);
  });

  it('refuses security.artifact_verification: false there, even with a signature', async () => {
    const res = await s.http('/api/v1/jobs/pay-off', {
      method: 'PUT',
      json: spec('pay-off', { namespace: 'payments', artifact_signature: SIGNED, security: { artifact_verification: false } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'security.artifact_verification', code: 'FJC_SPEC_VERIFICATION_REQUIRED' })]);
    expect(await s.logOf('pay-off')).toEqual([]);
  });

  it('accepts a signed spec there, and an unsigned spec in a namespace without requirements', async () => {
    expect((await s.http('/api/v1/jobs/pay-signed', { method: 'PUT', json: spec('pay-signed', { namespace: 'payments', artifact_signature: SIGNED }) })).status).toBe(201);
    expect((await s.http('/api/v1/jobs/plain', { method: 'PUT', json: spec('plain', {}) })).status).toBe(201);
    expect(await s.logOf('plain')).toEqual(['SpecUpdated']);
  });
});
