// A job document that names a template (`template: NAME@VERSION`, `params`) made into an
// ordinary spec value: the template chain loaded from the log, parameters checked, the job's own
// fields merged over it. The result still goes through validateSpec like any spec.
import { Injectable } from '@nestjs/common';
import { renderTemplateUse, templateUseOf, type SpecError, type TemplateUse } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { PgTemplateStore } from './pg-template-store';

export type RenderedJobSpec = { readonly ok: true; readonly value: Record<string, unknown>; readonly use: TemplateUse } | { readonly ok: false; readonly errors: SpecError[] };

@Injectable()
export class JobSpecRenderer {
  constructor(private readonly templates: PgTemplateStore) {}

  /** null: the document names no template. */
  async render(tx: Queryable, document: unknown): Promise<RenderedJobSpec | null> {
    const split = templateUseOf(document);
    if (split === null) return null;
    if (!split.ok) return split;
    return this.renderUse(tx, split.value);
  }

  async renderUse(tx: Queryable, use: TemplateUse): Promise<RenderedJobSpec> {
    const chain = await this.templates.chain(tx, use.name, use.version, 'template');
    if (!chain.ok) return chain;
    const rendered = renderTemplateUse(use, chain.chain);
    return rendered.ok ? { ok: true, value: rendered.value, use } : rendered;
  }
}
