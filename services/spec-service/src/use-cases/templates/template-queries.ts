// Queries of templates (GET /api/v1/templates, /templates/{name}, /templates/{name}/versions/{version}),
// read from job_templates, which is written with each template stream. Templates are shared by
// every namespace: any authenticated caller may read them.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import type { Actor, JobTemplate, TemplateList, TemplateVersionView } from '@fjc/contracts';

interface TemplateRow {
  readonly name: string;
  readonly version: number;
  readonly template_hash: string;
  readonly template: JobTemplate;
  readonly actor: Actor;
  readonly recorded_at: Date;
}

@Injectable()
export class TemplateQueries {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async list(): Promise<TemplateList> {
    const res = await this.pool.query<TemplateRow & { jobs: number }>(
      `select distinct on (t.name) t.*, (select count(*)::int from job_specs s where not s.deleted and s.template->>'name' = t.name) as jobs
       from job_templates t order by t.name, t.version desc`,
    );
    return {
      templates: res.rows.map((r) => ({
        name: r.name,
        latestVersion: r.version,
        description: r.template.description ?? null,
        extends: r.template.extends ?? null,
        recordedAt: r.recorded_at.toISOString(),
        jobs: r.jobs,
      })),
    };
  }

  /** One version, or the latest without one; null when not recorded. */
  async get(name: string, version?: number): Promise<TemplateVersionView | null> {
    const res = await this.pool.query<TemplateRow>(
      `select * from job_templates where name = $1 and ($2::int is null or version = $2) order by version desc limit 1`,
      [name, version ?? null],
    );
    const r = res.rows[0];
    return r ? { name: r.name, version: r.version, templateHash: r.template_hash, template: r.template, actor: r.actor, recordedAt: r.recorded_at.toISOString() } : null;
  }
}
