// Indexes behind the paged, filtered job list (issue 15): pages walk job_id order (the primary
// key); a namespace filter walks (namespace, job_id); a state filter starts from job_status's
// (state, job_id); label selectors use a GIN index on the spec's labels (? and @>).
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobListIndexes1771500000000 implements MigrationInterface {
  name = 'JobListIndexes1771500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index job_specs_namespace_job_idx on job_specs ((spec->>'namespace'), job_id)`);
    await q.query(`create index job_specs_labels_idx on job_specs using gin ((spec->'labels'))`);
    await q.query(`create index job_status_state_job_idx on job_status (state, job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index if exists job_specs_namespace_job_idx, job_specs_labels_idx, job_status_state_job_idx`);
  }
}
