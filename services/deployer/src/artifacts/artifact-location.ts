// Where a spec's jar is: a path under an artifact root, a file:// URL, or an https:// URL on an
// allow-listed host. Pure and lexical: the spec validator already refused malformed locations;
// this decides what this deployment allows before anything is read. Symlinks are the file
// reader's part (artifact-files.ts), which checks the real path again.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failure, type Step } from '../actions/action-outcome';

export type ArtifactLocation = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'https'; readonly url: URL };

export interface ArtifactPlaces {
  /** Local jars must lie under one of these; relative artifact paths resolve under the first. */
  readonly roots: readonly string[];
  readonly allowedHosts: readonly string[];
}

/** Whether `path` is `root` itself or lies under it (both absolute and normalized). */
export function isUnder(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

export function locateArtifact(artifactPath: string, places: ArtifactPlaces): Step<{ location: ArtifactLocation }> {
  if (/^https:/i.test(artifactPath)) {
    const url = new URL(artifactPath);
    const allowed = places.allowedHosts.includes(url.hostname.toLowerCase()) || places.allowedHosts.includes(url.host.toLowerCase());
    if (!allowed) {
      return failure('FJC_ARTIFACT_NOT_ALLOWED', 'the artifact\'s host is not on the deployer\'s allow list', false, `host ${url.host} is not in FJC_ARTIFACT_ALLOWED_HOSTS (${places.allowedHosts.join(', ') || 'empty'})`);
    }
    return { ok: true, location: { kind: 'https', url } };
  }
  const roots = places.roots.map((r) => resolve(r));
  if (roots.length === 0) {
    return failure('FJC_ARTIFACT_NOT_ALLOWED', 'artifact_path is outside the deployer\'s artifact roots', false, 'no FJC_ARTIFACT_ROOT is configured: local jars are refused');
  }
  const path = /^file:/i.test(artifactPath) ? fileURLToPath(artifactPath) : resolve(roots[0], artifactPath);
  if (!roots.some((root) => isUnder(root, path))) {
    return failure('FJC_ARTIFACT_NOT_ALLOWED', 'artifact_path is outside the deployer\'s artifact roots', false, `${path} is under none of ${roots.join(', ')}`);
  }
  return { ok: true, location: { kind: 'file', path } };
}
