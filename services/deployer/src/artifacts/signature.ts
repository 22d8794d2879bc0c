// The jar's identity. A spec may pin the jar by its SHA-256 ("sha256:...") or sign it with an
// Ed25519 key the operators trust ("ed25519:<base64>", a detached signature of the jar's bytes,
// RFC 8032, verified with Node's crypto). With security.artifact_verification on (the default)
// a jar that does not match is refused before any upload; the namespace's artifact policy decides
// whether a spec may go without. Everything is checked on the private copy that gets uploaded.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { artifactPolicyErrors, namespaceRule, type ArtifactPolicy, type JobSpec } from '@fjc/contracts';
import { failure, type ActionFailure } from '../actions/action-outcome';
import type { PrivateJar } from './artifact-files';

/** The SHA-256 (hex) the spec pins the jar to, when it names one and asks for verification. */
export function pinnedSha256(spec: JobSpec): string | undefined {
  if (!spec.security.artifact_verification || !spec.artifact_signature?.startsWith('sha256:')) return undefined;
  return spec.artifact_signature.slice('sha256:'.length).toLowerCase();
}

/** The spec against its namespace's policy, before anything is read: the deployer's own check of what the spec-service checked at apply. */
export function checkPolicy(spec: JobSpec, policy: ArtifactPolicy): ActionFailure | null {
  const errors = artifactPolicyErrors(spec, policy);
  if (errors.length === 0) return null;
  return failure('FJC_ARTIFACT_POLICY_VIOLATION', errors.map((e) => `${e.path} ${e.message}`).join('; '), false);
}

/** The trusted keys, parsed once: name -> key. */
export function trustedKeys(policy: ArtifactPolicy): ReadonlyMap<string, KeyObject> {
  return new Map(Object.entries(policy.trusted_keys).map(([name, pem]) => [name, createPublicKey(pem)]));
}

export async function checkSignature(spec: JobSpec, jar: PrivateJar, policy: ArtifactPolicy, keys: ReadonlyMap<string, KeyObject>): Promise<ActionFailure | null> {
  const signature = spec.artifact_signature;
  if (!spec.security.artifact_verification || signature === undefined) return null;
  if (signature.startsWith('sha256:')) {
    const pinned = pinnedSha256(spec);
    if (pinned === jar.sha256) return null;
    return failure('FJC_ARTIFACT_SIGNATURE_MISMATCH', 'the jar\'s SHA-256 differs from artifact_signature', false, `${spec.artifact_path} has sha256:${jar.sha256}, artifact_signature says ${signature}`);
  }
  const accepted = namespaceRule(policy, spec.namespace).keys.flatMap((name) => {
    const key = keys.get(name);
    return key === undefined ? [] : [{ name, key }];
  });
  const bytes = Buffer.from(signature.slice('ed25519:'.length), 'base64');
  const content = await readFile(jar.path);
  const by = accepted.find(({ key }) => verify(null, content, key, bytes));
  if (by !== undefined) return null;
  return failure(
    'FJC_ARTIFACT_SIGNATURE_MISMATCH',
    `artifact_signature does not verify with any key namespace ${spec.namespace} trusts`,
    false,
    `${spec.artifact_path} (sha256:${jar.sha256}) checked against ${accepted.map((k) => k.name).join(', ') || 'no keys'}`,
  );
}
