// Where local jars may come from (FJC_ARTIFACT_ROOT). Unset: nowhere (local paths and file:// are
// refused, FJC_ARTIFACT_NOT_ALLOWED), since the working directory, the old default, may hold the
// stack's folder with its passwords and secrets. A root that is, or contains, a folder of secrets
// the deployer knows of (FJC_SECRETS_DIR, FJC_PG_PASSWORD_DIR, FJC_STACK_DIR) stops the deployer at
// start with FJC_ARTIFACT_ROOT_UNSAFE: a spec could otherwise name a secret file as its jar and
// have it uploaded to Flink. Real paths are compared, so a symlinked root does not hide it.
import { realpathSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { isUnder } from '../artifacts/artifact-location';

/** Folders no artifact root may contain, by the variable that names them. */
export const GUARDED_DIRS = ['FJC_SECRETS_DIR', 'FJC_PG_PASSWORD_DIR', 'FJC_STACK_DIR'] as const;

export class ArtifactRootUnsafeError extends Error {
  readonly code = 'FJC_ARTIFACT_ROOT_UNSAFE';
  constructor(message: string) {
    super(`FJC_ARTIFACT_ROOT_UNSAFE: ${message}`);
    this.name = 'ArtifactRootUnsafeError';
  }
}

const real = (path: string): string => {
  try {
    return realpathSync.native(resolve(path));
  } catch {
    return resolve(path);
  }
};

export function artifactRootsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const roots = (env.FJC_ARTIFACT_ROOT ?? '')
    .split(delimiter)
    .map((r) => r.trim())
    .filter(Boolean);
  for (const root of roots) {
    const rootReal = real(root);
    for (const name of GUARDED_DIRS) {
      const dir = env[name]?.trim();
      if (!dir) continue;
      const dirReal = real(dir);
      if (dirReal === rootReal || isUnder(rootReal, dirReal)) {
        throw new ArtifactRootUnsafeError(
          `FJC_ARTIFACT_ROOT ${root} contains ${name} (${dir}); a spec could name a file there as its jar. Use a folder that holds jars only (npm start: infra/flink-test-job/target)`,
        );
      }
    }
  }
  return roots;
}
