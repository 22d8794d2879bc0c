// Use case: record a template version (PUT /api/v1/templates/{name}). In numbered steps:
// 1. who may (the operator role in every namespace: a template can be used in any), 2. parse
// the document and check it names the template of the URL, 3. load its stream and the version
// it extends, 4. decide (a new version only when the content differs), 5. append. A new
// template version changes no job: jobs move to it by a rollout.
import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { parseJobTemplate, parseSpecDocument, parseTemplateRef, resolveChain, type SpecLimits } from '@fjc/contracts';
import { Inject } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import { hasRole } from '../../auth/principal';
import { forbidden } from '../../auth/job-access';
import { SPEC_LIMITS } from '../../http/spec-limits.token';
import type { CommandError } from '../../spec-stream/command-error';
import type { CommandContext } from '../../spec-stream/spec-command-runner';
import { PgTemplateStore } from '../../template-stream/pg-template-store';
import { decideApplyTemplate } from '../../template-stream/template-stream';
import type { ApplySpecInput } from '../apply-spec/apply-spec';

export type ApplyTemplateResult = { readonly ok: true; readonly name: string; readonly version: number; readonly changed: boolean } | { readonly ok: false; readonly errors: readonly CommandError[] };

@Injectable()
export class ApplyTemplate {
  constructor(
    private readonly store: PgTemplateStore,
    @Inject(SPEC_LIMITS) private readonly limits: SpecLimits,
    private readonly logger: Logger,
  ) {}

  async execute(tx: Queryable, name: string, body: ApplySpecInput['body'], context: CommandContext): Promise<ApplyTemplateResult> {
    const result = await this.decideAndAppend(tx, name, body, context);
    const fields = { event: 'template.apply', template: name, actor: context.cause.actor, correlationId: context.cause.correlationId };
    if (result.ok) this.logger.log({ msg: `template ${name}: ${result.changed ? 'recorded' : 'unchanged'}, version ${result.version}`, ...fields, version: result.version }, 'templates');
    else this.logger.log({ msg: `template ${name}: refused (${result.errors[0]?.code})`, ...fields, code: result.errors[0]?.code }, 'templates');
    return result;
  }

  private async decideAndAppend(tx: Queryable, name: string, body: ApplySpecInput['body'], context: CommandContext): Promise<ApplyTemplateResult> {
    // 1. Who may.
    if (context.principal && !hasRole(context.principal, 'operator', '*')) {
      return { ok: false, errors: [forbidden(`applying template ${name} needs the operator role in every namespace ("*")`)] };
    }
    // 2. The document.
    let value: unknown = body.kind === 'value' ? body.value : undefined;
    if (body.kind === 'document') {
      const parsed = parseSpecDocument(body.text, 'template.yaml', this.limits);
      if (!parsed.ok) return { ok: false, errors: parsed.errors };
      value = parsed.value;
    }
    const template = parseJobTemplate(value);
    if (!template.ok) return { ok: false, errors: template.errors };
    if (template.value.name !== name) {
      return { ok: false, errors: [{ code: 'FJC_TEMPLATE_INVALID', path: 'name', message: `is ${template.value.name}, but the request is about template ${name}` }] };
    }
    // 3. Its stream and what it extends.
    const stream = await this.store.load(tx, name);
    const parentRef = template.value.extends === undefined ? null : parseTemplateRef(template.value.extends);
    let parent = null;
    if (parentRef !== null) {
      const chain = await this.store.chain(tx, parentRef.name, parentRef.version, 'extends');
      if (!chain.ok) return chain;
      parent = resolveChain(chain.chain);
    }
    // 4. Decide.
    const decision = decideApplyTemplate(stream, template.value, parent);
    if (decision.kind === 'rejected') return { ok: false, errors: decision.errors };
    if (decision.kind === 'unchanged') return { ok: true, name, version: decision.version, changed: false };
    // 5. Append.
    const appended = await this.store.append(tx, stream, decision.entry, context.cause);
    if (appended === 'conflict') {
      return { ok: false, errors: [{ code: 'FJC_VERSION_CONFLICT', path: '', message: `template ${name} was changed by someone else meanwhile; apply again` }] };
    }
    return { ok: true, name, version: decision.entry.version, changed: true };
  }
}
