// Use case: move the jobs of a template to one of its versions (POST /api/v1/templates/{name}/rollout).
// Each job gets its rollout document through the normal apply path (ApplySpec: validation,
// the caller's rights on that job, If-Match on the version the job had), in its own transaction,
// so one refused job leaves the others' new versions in place and each job then upgrades through
// its own upgrade mode and gates.
import { Injectable } from '@nestjs/common';
import type { TemplateRolloutRequest, TemplateRolloutResponse } from '@fjc/contracts';
import { Transactions } from '../../db/transactions';
import type { CommandError } from '../../spec-stream/command-error';
import type { CommandContext } from '../../spec-stream/spec-command-runner';
import { PgTemplateStore } from '../../template-stream/pg-template-store';
import { templateVersion } from '../../template-stream/template-stream';
import { ApplySpec } from '../apply-spec/apply-spec';
import { versionNotFound } from './plan-template';
import { jobsOfTemplate, rolloutDocument } from './template-jobs';

export type RolloutTemplateResult = { readonly ok: true; readonly rollout: TemplateRolloutResponse } | { readonly ok: false; readonly errors: readonly CommandError[] };

@Injectable()
export class RolloutTemplate {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: PgTemplateStore,
    private readonly applySpec: ApplySpec,
  ) {}

  async execute(name: string, request: TemplateRolloutRequest, context: CommandContext): Promise<RolloutTemplateResult> {
    const selected = await this.transactions.run(async (tx) => {
      if (templateVersion(await this.store.load(tx, name), request.toVersion) === null) return { ok: false as const, errors: [versionNotFound(name, request.toVersion)] };
      return jobsOfTemplate(tx, name, request.jobs, context.principal);
    });
    if (!selected.ok) return selected;
    const jobs: TemplateRolloutResponse['jobs'] = [];
    for (const job of selected.jobs) {
      const input = { jobId: job.jobId, body: { kind: 'value' as const, value: rolloutDocument(job, request.toVersion) }, expectedVersion: job.specVersion };
      const { outcome } = await this.transactions.run((tx) => this.applySpec.execute(tx, input, context));
      const base = { jobId: job.jobId, fromVersion: job.use.version, specVersion: job.specVersion };
      if (outcome.kind === 'rejected') jobs.push({ ...base, status: 'rejected', version: null, errors: [...outcome.errors] });
      else jobs.push({ ...base, status: outcome.kind === 'appended' ? 'accepted' : 'unchanged', version: outcome.version, errors: [] });
    }
    return { ok: true, rollout: { name, toVersion: request.toVersion, jobs } };
  }
}
