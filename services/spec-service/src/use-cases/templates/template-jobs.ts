// The jobs a template's plan and rollout act on: those whose current spec is rendered from some
// version of the template (job_specs.template), optionally only the ones named, and only those
// the caller may see. For each, the document a rollout applies: the job's own template use with
// the new version, and its current desired state (so a suspended job stays suspended).
import type { JobSpec, TemplateUse } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { mayRead, type Principal } from '../../auth/principal';
import type { CommandError } from '../../spec-stream/command-error';

export interface JobOfTemplate {
  readonly jobId: string;
  readonly specVersion: number;
  readonly use: TemplateUse;
  readonly state: JobSpec['state'];
}

export type TemplateJobs = { readonly ok: true; readonly jobs: readonly JobOfTemplate[] } | { readonly ok: false; readonly errors: CommandError[] };

export async function jobsOfTemplate(q: Queryable, name: string, only: readonly string[] | undefined, principal: Principal | undefined): Promise<TemplateJobs> {
  const res = await q.query<{ job_id: string; version: number; template: TemplateUse; spec: JobSpec }>(
    `select job_id, version, template, spec from job_specs where not deleted and template->>'name' = $1 order by job_id`,
    [name],
  );
  const visible = res.rows.filter((r) => principal === undefined || mayRead(principal, r.spec.namespace));
  const errors: CommandError[] = [];
  (only ?? []).forEach((jobId, i) => {
    if (!visible.some((r) => r.job_id === jobId)) errors.push({ code: 'FJC_INVALID_REQUEST', path: `jobs[${i}]`, message: `job ${jobId} does not use template ${name} (or does not exist)` });
  });
  if (errors.length > 0) return { ok: false, errors };
  const chosen = only === undefined ? visible : visible.filter((r) => only.includes(r.job_id));
  return { ok: true, jobs: chosen.map((r) => ({ jobId: r.job_id, specVersion: r.version, use: r.template, state: r.spec.state })) };
}

/** What a rollout applies to the job: a template use like the one it has, at `toVersion`. */
export function rolloutDocument(job: JobOfTemplate, toVersion: number): Record<string, unknown> {
  return { ...job.use.fields, state: job.state, template: `${job.use.name}@${toVersion}`, params: job.use.params };
}
