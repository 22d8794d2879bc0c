import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactPolicySchema, OPEN_ARTIFACT_POLICY } from '@fjc/contracts';
import { SHA, testSpec } from '../testing/carry-out-fixture';
import type { PrivateJar } from './artifact-files';
import { checkPolicy, checkSignature, pinnedSha256, trustedKeys } from './signature';

const dir = mkdtempSync(join(tmpdir(), 'fjc-signature-spec-'));
const content = Buffer.from('jar bytes');
writeFileSync(join(dir, 'a.jar'), content);
const jar = (sha256: string): PrivateJar => ({ path: join(dir, 'a.jar'), sha256, size: content.length, dispose: async () => undefined });
const pair = () => generateKeyPairSync('ed25519');
const release = pair();
const other = pair();
const pem = (k: typeof release) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const policy = ArtifactPolicySchema.parse({
  trusted_keys: { release: pem(release) },
  namespaces: { payments: { require: 'signature' }, team: { require: 'digest' } },
});
const keys = trustedKeys(policy);
const signed = (k: typeof release, bytes = content) => `ed25519:${sign(null, bytes, k.privateKey).toString('base64')}`;

describe('artifact signature', () => {
  it('pins the jar to a sha256 signature while verification is on', async () => {
    expect(pinnedSha256(testSpec())).toBe(SHA);
    expect(await checkSignature(testSpec(), jar(SHA), OPEN_ARTIFACT_POLICY, new Map())).toBeNull();
  });

  it('refuses other content with FJC_ARTIFACT_SIGNATURE_MISMATCH; the digests are in the detail only', async () => {
    const mismatch = await checkSignature(testSpec(), jar('0'.repeat(64)), OPEN_ARTIFACT_POLICY, new Map());
    expect(mismatch).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', retryable: false });
    expect(mismatch?.message).not.toContain('0'.repeat(64));
    expect(mismatch?.message).not.toContain(SHA);
    expect(mismatch?.detail).toContain('0'.repeat(64));
  });

  it('checks nothing with verification off or without a signature', async () => {
    const off = testSpec({ security: { artifact_verification: false } });
    expect(pinnedSha256(off)).toBeUndefined();
    expect(await checkSignature(off, jar('0'.repeat(64)), OPEN_ARTIFACT_POLICY, new Map())).toBeNull();
    expect(await checkSignature(testSpec({ artifact_signature: undefined }), jar('0'.repeat(64)), OPEN_ARTIFACT_POLICY, new Map())).toBeNull();
  });

  it('accepts an Ed25519 signature by a trusted key, and refuses one by another key or of other bytes', async () => {
    expect(await checkSignature(testSpec({ artifact_signature: signed(release) }), jar(SHA), policy, keys)).toBeNull();
    expect(await checkSignature(testSpec({ artifact_signature: signed(other) }), jar(SHA), policy, keys)).toMatchObject({ code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH' });
    const changed = Buffer.from(content);
    changed[0] = (changed[0] ?? 0) ^ 1;
    expect(await checkSignature(testSpec({ artifact_signature: signed(release, changed) }), jar(SHA), policy, keys)).toMatchObject({ code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH' });
  });

  it('refuses, before anything is read, what the namespace\'s policy requires and the spec lacks', () => {
    expect(checkPolicy(testSpec({ namespace: 'payments' }), policy)).toMatchObject({ code: 'FJC_ARTIFACT_POLICY_VIOLATION', retryable: false });
    expect(checkPolicy(testSpec({ namespace: 'payments', artifact_signature: signed(release) }), policy)).toBeNull();
    expect(checkPolicy(testSpec({ namespace: 'team' }), policy)).toBeNull();
    expect(checkPolicy(testSpec({ namespace: 'team', security: { artifact_verification: false } }), policy)).toMatchObject({ code: 'FJC_ARTIFACT_POLICY_VIOLATION' });
    expect(checkPolicy(testSpec({ security: { artifact_verification: false } }), policy)).toBeNull();
  });
});
