// Getting a jar onto this machine to hash and upload it: local files are used where they are,
// https:// artifacts are downloaded to a temporary file that is removed after the upload.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { failure, type Step } from '../actions/action-outcome';
import type { ArtifactLocation } from './artifact-location';

export interface LocalJar {
  readonly path: string;
  /** Removes a downloaded copy; nothing for a local file. */
  dispose(): Promise<void>;
}

export async function materializeJar(location: ArtifactLocation, label: string): Promise<Step<{ jar: LocalJar }>> {
  if (location.kind === 'file') {
    const found = await stat(location.path).then((s) => s.isFile(), () => false);
    if (!found) return failure('FJC_ARTIFACT_NOT_FOUND', `${label}: no file at ${location.path}`, false);
    return { ok: true, jar: { path: location.path, dispose: async () => undefined } };
  }
  const dir = join(tmpdir(), 'fjc-deployer-artifacts');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.jar`);
  const dispose = () => rm(path, { force: true });
  try {
    const res = await request(location.url, { method: 'GET', headersTimeout: 30_000, bodyTimeout: 120_000 });
    if (res.statusCode !== 200) {
      await res.body.dump();
      // A 4xx will not change by asking again; a 5xx may.
      return failure('FJC_ARTIFACT_NOT_FOUND', `${label}: GET answered HTTP ${res.statusCode}`, res.statusCode >= 500);
    }
    await pipeline(res.body, createWriteStream(path));
    return { ok: true, jar: { path, dispose } };
  } catch (err) {
    await dispose();
    return failure('FJC_ARTIFACT_NOT_FOUND', `${label}: download failed: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
