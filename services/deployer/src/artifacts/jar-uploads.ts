// Each jar is uploaded to a cluster once per SHA-256: the jar id Flink gave it is kept in
// deployer_jars, and a jar Flink no longer has (a restarted JobManager forgets uploads) is
// uploaded again when the caller asks with `reupload`. The namespace's artifact policy and the
// signature are checked before any upload, on the private copy that is then uploaded.
// An upload is not idempotent, so: the jar goes up under a name made of its digest
// (fjc-<sha256>.jar), Flink's jar list is read for that name before any upload (an earlier one
// whose answer was lost, or whose row is gone), and uploads of one digest to one cluster are
// serialized, in this process (a promise chain) and across deployers (a PostgreSQL advisory lock).
import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JobSpec } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import type { FlinkClient } from '../flink/flink-port';
import type { Step } from '../actions/action-outcome';
import { locateArtifact } from './artifact-location';
import { copyJar } from './artifact-files';
import { checkPolicy, checkSignature, pinnedSha256, trustedKeys } from './signature';

/** A jar on a cluster: Flink's id for it and the SHA-256 of its content. */
export interface JarRef {
  readonly jarId: string;
  readonly sha256: string;
}

/** The port the submission step uses: a jar id on the cluster for the spec's artifact. */
export interface JarSource {
  ensureJar(spec: JobSpec, cluster: string, flink: FlinkClient, opts: { readonly reupload: boolean }): Promise<Step<JarRef>>;
}

@Injectable()
export class JarUploads implements JarSource {
  /** The last upload queued per cluster and digest, in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly keys: ReadonlyMap<string, KeyObject>;

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(DEPLOYER_CONFIG) private readonly config: DeployerConfig,
  ) {
    this.keys = trustedKeys(config.artifactPolicy);
  }

  /** Runs `fn` alone for this cluster and digest: after the ones queued here, under the advisory lock. */
  private serialized<T>(cluster: string, sha256: string, fn: () => Promise<T>): Promise<T> {
    const key = `${cluster}/${sha256}`;
    const before = this.queues.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => this.underAdvisoryLock(`fjc-jar-upload:${key}`, fn));
    const tail = mine.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return mine;
  }

  private async underAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => (broken = true));
      }
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      // A session whose unlock may not have run is not given back: closing it frees the lock.
      client.release(broken);
    }
  }

  async ensureJar(spec: JobSpec, cluster: string, flink: FlinkClient, opts: { readonly reupload: boolean }): Promise<Step<JarRef>> {
    // 1. Nothing is read for a spec its namespace's policy refuses.
    const refused = checkPolicy(spec, this.config.artifactPolicy);
    if (refused !== null) return refused;

    // 2. A jar pinned by its digest and uploaded before needs no reading at all.
    const pinned = pinnedSha256(spec);
    if (pinned !== undefined && !opts.reupload) {
      const cached = await cachedJar(this.pool, cluster, pinned);
      if (cached !== null) return { ok: true, jarId: cached, sha256: pinned };
    }

    // 3. Copy the jar into a private file while hashing it, and refuse it when it is not the one
    //    the spec names. Only that copy is verified and uploaded.
    const located = locateArtifact(spec.artifact_path, { roots: this.config.artifactRoots, allowedHosts: this.config.artifactAllowedHosts });
    if (!located.ok) return located;
    const local = await copyJar(located.location, {
      roots: this.config.artifactRoots,
      maxBytes: this.config.artifactMaxBytes,
      downloadTimeoutMs: this.config.artifactDownloadTimeoutMs,
    });
    if (!local.ok) return local;
    try {
      const sha256 = local.jar.sha256;
      const mismatch = await checkSignature(spec, local.jar, this.config.artifactPolicy, this.keys);
      if (mismatch !== null) return mismatch;
      if (!opts.reupload) {
        const cached = await cachedJar(this.pool, cluster, sha256);
        if (cached !== null) return { ok: true, jarId: cached, sha256 };
      }

      // 4. One upload per digest and cluster at a time; whoever comes second finds the first's jar.
      const jarId = await this.serialized(cluster, sha256, async () => {
        if (!opts.reupload) {
          const cached = await cachedJar(this.pool, cluster, sha256);
          if (cached !== null) return cached;
        }
        const name = jarName(sha256);
        const listed = (await flink.listJarFiles()).find((f) => f.name === name);
        const id = listed?.id ?? (await flink.uploadJar(local.jar.path, name));
        await rememberJar(this.pool, cluster, sha256, id);
        return id;
      });
      return { ok: true, jarId, sha256 };
    } finally {
      await local.jar.dispose();
    }
  }
}

/** The name a jar is uploaded under: its digest, so Flink's jar list says which jar it is. */
export function jarName(sha256: string): string {
  return `fjc-${sha256}.jar`;
}

async function cachedJar(q: Queryable, cluster: string, sha256: string): Promise<string | null> {
  const res = await q.query<{ jar_id: string }>('select jar_id from deployer_jars where cluster = $1 and sha256 = $2', [cluster, sha256]);
  return res.rows[0]?.jar_id ?? null;
}

async function rememberJar(q: Queryable, cluster: string, sha256: string, jarId: string): Promise<void> {
  await q.query(
    `insert into deployer_jars (cluster, sha256, jar_id) values ($1, $2, $3)
     on conflict (cluster, sha256) do update set jar_id = excluded.jar_id, uploaded_at = now()`,
    [cluster, sha256, jarId],
  );
}
