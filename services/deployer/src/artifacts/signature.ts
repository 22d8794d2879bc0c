// The jar's identity: the spec's artifact_signature names its SHA-256, and with
// security.artifact_verification on (the default) a jar with any other content is refused
// before it reaches Flink.
import type { JobSpec } from '@fjc/contracts';
import { failure, type ActionFailure } from '../actions/action-outcome';

/** The SHA-256 (hex) the spec pins the jar to, when the spec asks for verification. */
export function pinnedSha256(spec: JobSpec): string | undefined {
  if (!spec.security.artifact_verification || spec.artifact_signature === undefined) return undefined;
  return spec.artifact_signature.slice('sha256:'.length).toLowerCase();
}

export function checkSignature(spec: JobSpec, actualSha256: string): ActionFailure | null {
  const pinned = pinnedSha256(spec);
  if (pinned === undefined || pinned === actualSha256.toLowerCase()) return null;
  return failure(
    'FJC_ARTIFACT_SIGNATURE_MISMATCH',
    `${spec.artifact_path} has sha256:${actualSha256}, but artifact_signature says sha256:${pinned}`,
    false,
  );
}
