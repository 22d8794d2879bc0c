// job_specs: the current spec of each job, kept beside its stream in the same transaction.
// Reads for GET /jobs and /jobs/{id}; commands never decide from it (they load the stream).
import type { JobSpec } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { currentSpec, type SpecStream } from '../spec-stream/spec-stream';

export async function saveJobSpec(tx: Queryable, stream: SpecStream, now: Date): Promise<void> {
  const current = currentSpec(stream);
  if (current === null) return;
  await tx.query(
    `insert into job_specs (job_id, version, spec_hash, spec, deleted, created_at, updated_at, template)
     values ($1, $2, $3, $4, $5, $6, $6, $7)
     on conflict (job_id) do update set version = excluded.version, spec_hash = excluded.spec_hash, spec = excluded.spec,
       deleted = excluded.deleted, updated_at = excluded.updated_at, template = excluded.template`,
    [stream.jobId, current.version, current.specHash, JSON.stringify(current.spec), stream.deleted, now, current.template ? JSON.stringify(current.template) : null],
  );
}

export interface JobSpecRow {
  readonly job_id: string;
  readonly version: number;
  readonly spec_hash: string;
  readonly spec: JobSpec;
  readonly deleted: boolean;
  readonly created_at: Date;
  readonly updated_at: Date;
}
