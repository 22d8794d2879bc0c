// Reading the operators' artifact policy (FJC_ARTIFACT_POLICY_FILE, YAML) once at start, for the
// spec-service (checked when a spec is applied) and the deployer (checked again before any
// upload). A bad file stops the process at boot with the field named. No file: nothing required.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ArtifactPolicySchema, OPEN_ARTIFACT_POLICY, type ArtifactPolicy } from '@fjc/contracts';

export function artifactPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): ArtifactPolicy {
  const path = env.FJC_ARTIFACT_POLICY_FILE;
  if (path === undefined || path.trim() === '') return OPEN_ARTIFACT_POLICY;
  return loadArtifactPolicy(path);
}

export function loadArtifactPolicy(path: string): ArtifactPolicy {
  const invalid = (detail: string) =>
    Object.assign(new Error(`FJC_ARTIFACT_POLICY_FILE ${path} is not valid: ${detail}`), { code: 'FJC_ARTIFACT_POLICY_INVALID' });
  const parsed = ArtifactPolicySchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  for (const [name, pem] of Object.entries(parsed.data.trusted_keys)) {
    const type = (() => {
      try {
        return createPublicKey(pem).asymmetricKeyType;
      } catch {
        return 'unreadable';
      }
    })();
    if (type !== 'ed25519') throw invalid(`trusted_keys.${name}: must be an Ed25519 public key in PEM, got ${type ?? 'an unknown key'}`);
  }
  return parsed.data;
}
