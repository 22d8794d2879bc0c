// Where a spec's jar is: a path under the artifact root, a file:// URL, or an https:// URL on an
// allow-listed host. Pure: the spec validator already refused malformed locations; this decides
// what this deployment allows.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failure, type Step } from '../actions/action-outcome';

export type ArtifactLocation = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'https'; readonly url: URL };

export interface ArtifactPolicy {
  readonly root: string;
  readonly allowedHosts: readonly string[];
}

export function locateArtifact(artifactPath: string, policy: ArtifactPolicy): Step<{ location: ArtifactLocation }> {
  if (/^file:/i.test(artifactPath)) return { ok: true, location: { kind: 'file', path: fileURLToPath(artifactPath) } };
  if (/^https:/i.test(artifactPath)) {
    const url = new URL(artifactPath);
    const allowed = policy.allowedHosts.includes(url.hostname.toLowerCase()) || policy.allowedHosts.includes(url.host.toLowerCase());
    if (!allowed) {
      return failure(
        'FJC_ARTIFACT_NOT_ALLOWED',
        `${artifactPath}: host ${url.host} is not in FJC_ARTIFACT_ALLOWED_HOSTS (${policy.allowedHosts.join(', ') || 'empty'})`,
        false,
      );
    }
    return { ok: true, location: { kind: 'https', url } };
  }
  const root = resolve(policy.root);
  const path = resolve(root, artifactPath);
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return failure('FJC_ARTIFACT_NOT_ALLOWED', `${artifactPath} is outside the artifact root ${root}`, false);
  }
  return { ok: true, location: { kind: 'file', path } };
}
