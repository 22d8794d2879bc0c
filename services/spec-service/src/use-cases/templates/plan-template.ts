// Use case: what moving the jobs of a template to one of its versions would do
// (POST /api/v1/templates/{name}/plan), appending nothing: for each job, the plan of applying its
// rollout document, exactly as POST /api/v1/jobs/{jobId}/plan gives it. The caller's transaction
// is read only.
import { Injectable } from '@nestjs/common';
import type { TemplatePlanJob, TemplatePlanResponse, TemplateRolloutRequest } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import type { CommandError } from '../../spec-stream/command-error';
import type { CommandContext } from '../../spec-stream/spec-command-runner';
import { PgTemplateStore } from '../../template-stream/pg-template-store';
import { templateVersion } from '../../template-stream/template-stream';
import { PlanSpec } from '../plan-spec/plan-spec';
import { jobsOfTemplate, rolloutDocument } from './template-jobs';

export type PlanTemplateResult = { readonly ok: true; readonly plan: TemplatePlanResponse } | { readonly ok: false; readonly errors: readonly CommandError[] };

@Injectable()
export class PlanTemplate {
  constructor(
    private readonly store: PgTemplateStore,
    private readonly planSpec: PlanSpec,
  ) {}

  async execute(tx: Queryable, name: string, request: TemplateRolloutRequest, context: CommandContext): Promise<PlanTemplateResult> {
    // 1. The version exists.
    if (templateVersion(await this.store.load(tx, name), request.toVersion) === null) return { ok: false, errors: [versionNotFound(name, request.toVersion)] };
    // 2. The jobs that use the template.
    const selected = await jobsOfTemplate(tx, name, request.jobs, context.principal);
    if (!selected.ok) return selected;
    // 3. Each job's plan.
    const jobs: TemplatePlanJob[] = [];
    for (const job of selected.jobs) {
      const input = { jobId: job.jobId, body: { kind: 'value' as const, value: rolloutDocument(job, request.toVersion) }, expectedVersion: job.specVersion };
      const planned = await this.planSpec.execute(tx, input, context);
      const base = { jobId: job.jobId, fromVersion: job.use.version, specVersion: job.specVersion };
      jobs.push(planned.ok ? { ...base, outcome: planned.plan.changed ? 'change' : 'unchanged', plan: planned.plan, errors: [] } : { ...base, outcome: 'invalid', plan: null, errors: [...planned.errors] });
    }
    return { ok: true, plan: { name, toVersion: request.toVersion, jobs } };
  }
}

export function versionNotFound(name: string, version: number): CommandError {
  return { code: 'FJC_TEMPLATE_NOT_FOUND', path: 'toVersion', message: `template ${name}@${version} is not recorded` };
}
