// Whether a spec version may run now under the operators' policy (FJC_ARTIFACT_POLICY_FILE): the
// artifact it must have verified and the secrets it may refer to. Apply checks the spec it is
// given; rollback, resume and recover check the version they would run again, since the policy may
// have changed since that version was accepted (a signature made required later). The codes are
// those of apply; the message names the version.
import { artifactPolicyErrors, secretScopeErrors, type ArtifactPolicy, type JobSpec } from '@fjc/contracts';
import type { CommandError } from './command-error';

export function runPolicyErrors(spec: JobSpec, version: number, policy: ArtifactPolicy): CommandError[] {
  return [...secretScopeErrors(spec, policy), ...artifactPolicyErrors(spec, policy)].map((e) => ({
    code: e.code,
    path: e.path,
    message: `version ${version} cannot run under the current policy: ${e.path} ${e.message}`,
  }));
}
