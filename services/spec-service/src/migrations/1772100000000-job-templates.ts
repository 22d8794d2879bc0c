// Templates (issue 16): job_templates holds every recorded template version beside its stream
// (`template-<name>` in the log, the truth), written in the same transaction and rebuilt by
// rebuild-projections; job_specs.template is the template use of each job's current spec, so
// a template's plan and rollout find the jobs that use it. Versions are immutable: the role
// may insert and read them, never update them.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobTemplates1772100000000 implements MigrationInterface {
  name = 'JobTemplates1772100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table job_templates (
        name           text        not null,
        version        integer     not null check (version >= 1),
        template_hash  text        not null,
        template       jsonb       not null,
        actor          jsonb       not null,
        recorded_at    timestamptz not null,
        primary key (name, version)
      )`);
    await q.query(`alter table job_specs add column template jsonb`);
    await q.query(`create index job_specs_template_idx on job_specs ((template->>'name')) where template is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index if exists job_specs_template_idx`);
    await q.query(`alter table job_specs drop column if exists template`);
    await q.query(`drop table if exists job_templates`);
  }
}
