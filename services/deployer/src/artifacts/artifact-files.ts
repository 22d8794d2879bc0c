// Getting a jar onto this machine: every jar, local or downloaded, is copied into a private
// temporary file while it is hashed, and that copy is what gets verified and uploaded. The
// original is never opened again after hashing, so a file swapped in between changes nothing.
// Local jars are read by their real path, which must lie under a real artifact root (a symlink
// cannot lead out); downloads stop at a size cap and an overall deadline. Failures carry a
// generic message for the event and the path or URL only in `detail`, for the deployer's log:
// readers of events learn neither whether a file exists nor its digest.
import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdtemp, open, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { failure, type ActionFailure, type Step } from '../actions/action-outcome';
import { isUnder, type ArtifactLocation } from './artifact-location';

export interface ArtifactLimits {
  /** Local roots jars must really (after symlinks) lie under. */
  readonly roots: readonly string[];
  readonly maxBytes: number;
  readonly downloadTimeoutMs: number;
}

/** A private copy of the jar: the bytes hashed are the bytes in this file. */
export interface PrivateJar {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  dispose(): Promise<void>;
}

class TooLarge extends Error {}

const NOT_FOUND = 'no readable jar at artifact_path under the deployer\'s artifact roots';

export async function copyJar(location: ArtifactLocation, limits: ArtifactLimits): Promise<Step<{ jar: PrivateJar }>> {
  const dir = await mkdtemp(join(tmpdir(), 'fjc-jar-')); // mode 0700: only this user reads the copy
  const path = join(dir, 'artifact.jar');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const copied = location.kind === 'file' ? await copyLocal(location.path, path, limits) : await download(location.url, path, limits);
    if (!copied.ok) {
      await dispose();
      return copied;
    }
    return { ok: true, jar: { path, sha256: copied.sha256, size: copied.size, dispose } };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function copyLocal(requested: string, target: string, limits: ArtifactLimits): Promise<Step<{ sha256: string; size: number }>> {
  const roots = await realRoots(limits.roots);
  const real = await realpath(requested).catch(() => null);
  if (real === null || !roots.some((root) => isUnder(root, real))) {
    return failure('FJC_ARTIFACT_NOT_FOUND', NOT_FOUND, false, real === null ? `${requested}: no such file` : `${requested} resolves to ${real}, outside the artifact roots ${roots.join(', ')}`);
  }
  // O_NOFOLLOW: a last component swapped for a symlink since realpath is not followed.
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
  if (handle === null) return failure('FJC_ARTIFACT_NOT_FOUND', NOT_FOUND, false, `${real}: cannot be opened`);
  try {
    // What was opened is checked, not the name: a directory swapped into the path since realpath is caught here.
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => real);
    const info = await handle.stat();
    if (!info.isFile() || !roots.some((root) => isUnder(root, opened))) {
      return failure('FJC_ARTIFACT_NOT_FOUND', NOT_FOUND, false, `${requested}: opened ${opened}, not a regular file under the artifact roots`);
    }
    if (info.size > limits.maxBytes) return tooLarge(`${real}: ${info.size} bytes`, limits);
    return await hashInto(handle.createReadStream(), target, limits, real);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function download(url: URL, target: string, limits: ArtifactLimits): Promise<Step<{ sha256: string; size: number }>> {
  const signal = AbortSignal.timeout(limits.downloadTimeoutMs);
  try {
    const res = await request(url, { method: 'GET', signal, headersTimeout: limits.downloadTimeoutMs, bodyTimeout: limits.downloadTimeoutMs });
    if (res.statusCode !== 200) {
      await res.body.dump();
      // A 4xx will not change by asking again; a 5xx may.
      return failure('FJC_ARTIFACT_NOT_FOUND', `the artifact's download was answered with HTTP ${res.statusCode}`, res.statusCode >= 500, `GET ${url.href}: HTTP ${res.statusCode}`);
    }
    const announced = Number(res.headers['content-length']);
    if (Number.isFinite(announced) && announced > limits.maxBytes) {
      // Destroying the body reports an abort error; nobody else listens to it.
      res.body.on('error', () => undefined).destroy();
      return tooLarge(`${url.href}: Content-Length ${announced}`, limits);
    }
    return await hashInto(res.body, target, limits, url.href);
  } catch (err) {
    if (signal.aborted) {
      return failure('FJC_ARTIFACT_TIMEOUT', `the artifact's download did not finish within ${limits.downloadTimeoutMs} ms (FJC_ARTIFACT_DOWNLOAD_TIMEOUT_MS)`, true, `GET ${url.href}`);
    }
    return failure('FJC_ARTIFACT_NOT_FOUND', 'the artifact\'s download failed', true, `GET ${url.href}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Streams `source` into a new private file, hashing and counting what is written; stops at the cap. */
async function hashInto(source: Readable, target: string, limits: ArtifactLimits, label: string): Promise<Step<{ sha256: string; size: number }>> {
  const hash = createHash('sha256');
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limits.maxBytes) return done(new TooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, tee, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    if (err instanceof TooLarge) return tooLarge(`${label}: more than ${limits.maxBytes} bytes`, limits);
    throw err;
  }
  return { ok: true, sha256: hash.digest('hex'), size };
}

function tooLarge(detail: string, limits: ArtifactLimits): ActionFailure {
  return failure('FJC_ARTIFACT_TOO_LARGE', `the jar is larger than ${limits.maxBytes} bytes (FJC_ARTIFACT_MAX_BYTES)`, false, detail);
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const real = await Promise.all(roots.map((r) => realpath(r).catch(() => null)));
  return real.filter((r): r is string => r !== null);
}
