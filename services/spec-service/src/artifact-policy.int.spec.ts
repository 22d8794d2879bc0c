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
const policy = join(dir, 'artifact-policy.yaml');
const keys = `trusted_keys:\n  release: |\n${pem.trim().split('\n').map((l) => `    ${l}`).join('\n')}\n`;

beforeAll(async () => {
  writeFileSync(policy, `${keys}namespaces:\n  payments: { require: signature }\nsecret_prefixes:\n  team-a: [shared/kafka]\n`);
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

describe('secret references at apply time', () => {
  it("refuses a reference to another namespace's secret, naming each field, and appends nothing", async () => {
    const res = await s.http('/api/v1/jobs/a-foreign', {
      method: 'PUT',
      json: spec('a-foreign', { namespace: 'team-a', args: ['--p', { secretRef: 'team-b/db/password' }], env_vars: { DB_PASSWORD: { secretRef: 'orders-db/password' } } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'args[1].secretRef', code: 'FJC_SECRET_OUT_OF_NAMESPACE', message: expect.stringContaining('team-b/db/password') }),
      expect.objectContaining({ path: 'env_vars.DB_PASSWORD.secretRef', code: 'FJC_SECRET_OUT_OF_NAMESPACE' }),
    ]);
    expect(await s.logOf('a-foreign')).toEqual([]);
  });

  it('accepts its own namespace and the prefixes the policy grants it', async () => {
    const res = await s.http('/api/v1/jobs/a-own', {
      method: 'PUT',
      json: spec('a-own', { namespace: 'team-a', args: ['--p', { secretRef: 'team-a/db/password' }], env_vars: { KAFKA_PASSWORD: { secretRef: 'shared/kafka/password' } } }),
    });
    expect(res.status).toBe(201);
  });
});

describe('rollback and resume to a version the policy no longer allows', () => {
  it('are refused with the apply code naming the version, once the namespace requires signatures; allowed versions still go', async () => {
    const put = (extra: Record<string, unknown>) => s.http('/api/v1/jobs/later-strict', { method: 'PUT', json: spec('later-strict', { namespace: 'team-c', ...extra }) });
    expect((await put({})).status).toBe(201); // version 1: unsigned, allowed then
    const paused = { method: 'PUT', json: spec('later-paused', { namespace: 'team-c', state: 'suspended' }) };
    expect((await s.http('/api/v1/jobs/later-paused', paused)).status).toBe(201); // unsigned and suspended
    expect((await put({ artifact_signature: SIGNED })).status).toBe(200); // version 2
    expect((await s.http('/api/v1/jobs/later-strict/suspend', { method: 'POST' })).status).toBeLessThan(300); // version 3
    // The operators now require signatures in team-c.
    writeFileSync(policy, `${keys}namespaces:\n  payments: { require: signature }\n  team-c: { require: signature }\n`);
    await s.service.stop();
    await s.service.start();
    const rollback = await s.http('/api/v1/jobs/later-strict/rollback', { method: 'POST', json: { toVersion: 1 } });
    expect(rollback.status).toBe(400);
    expect(rollback.body.errors).toEqual([
      expect.objectContaining({ code: 'FJC_SPEC_SIGNATURE_REQUIRED', path: 'artifact_signature', message: expect.stringContaining('version 1') }),
    ]);
    // The suspended version 3 is signed: resuming it is allowed.
    expect((await s.http('/api/v1/jobs/later-strict/resume', { method: 'POST' })).status).toBeLessThan(300);
    expect(await s.logOf('later-strict')).toEqual(['SpecUpdated', 'SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested']);
    const resume = await s.http('/api/v1/jobs/later-paused/resume', { method: 'POST' });
    expect(resume.status).toBe(400);
    expect(resume.body.errors).toEqual([expect.objectContaining({ code: 'FJC_SPEC_SIGNATURE_REQUIRED', message: expect.stringContaining('version 1') })]);
    expect(await s.logOf('later-paused')).toEqual(['SpecUpdated']);
  });
});
