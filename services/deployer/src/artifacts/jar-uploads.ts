// Each jar is uploaded to a cluster once per SHA-256: the jar id Flink gave it is kept in
// deployer_jars, and a jar Flink no longer has (a restarted JobManager forgets uploads) is
// uploaded again when the caller asks with `reupload`. The signature is checked before any upload.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JobSpec } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import type { FlinkClient } from '../flink/flink-port';
import type { Step } from '../actions/action-outcome';
import { locateArtifact } from './artifact-location';
import { materializeJar, sha256OfFile } from './artifact-files';
import { checkSignature, pinnedSha256 } from './signature';

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
  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(DEPLOYER_CONFIG) private readonly config: DeployerConfig,
  ) {}

  async ensureJar(spec: JobSpec, cluster: string, flink: FlinkClient, opts: { readonly reupload: boolean }): Promise<Step<JarRef>> {
    // 1. A jar pinned by its signature and uploaded before needs no reading at all.
    const pinned = pinnedSha256(spec);
    if (pinned !== undefined && !opts.reupload) {
      const cached = await cachedJar(this.pool, cluster, pinned);
      if (cached !== null) return { ok: true, jarId: cached, sha256: pinned };
    }

    // 2. Find the jar, hash it, and refuse it when it is not the one the spec names.
    const located = locateArtifact(spec.artifact_path, { root: this.config.artifactRoot, allowedHosts: this.config.artifactAllowedHosts });
    if (!located.ok) return located;
    const local = await materializeJar(located.location, spec.artifact_path);
    if (!local.ok) return local;
    try {
      const sha256 = await sha256OfFile(local.jar.path);
      const mismatch = checkSignature(spec, sha256);
      if (mismatch !== null) return mismatch;
      if (!opts.reupload) {
        const cached = await cachedJar(this.pool, cluster, sha256);
        if (cached !== null) return { ok: true, jarId: cached, sha256 };
      }

      // 3. Upload and remember.
      const jarId = await flink.uploadJar(local.jar.path);
      await rememberJar(this.pool, cluster, sha256, jarId);
      return { ok: true, jarId, sha256 };
    } finally {
      await local.jar.dispose();
    }
  }
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
