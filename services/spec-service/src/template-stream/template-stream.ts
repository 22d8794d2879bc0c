// The state of one template's stream (`template-<name>` in the log), folded from its events, and
// the decision of applying a template document to it. Pure. Every version is kept: a job names
// the version it renders from, and versions never change once recorded.
import { canonicalJson, templateErrors, type JobTemplate, type PayloadOf, type ResolvedTemplate, type SpecError } from '@fjc/contracts';
import { createHash } from 'node:crypto';

export type TemplateVersionEntry = PayloadOf<'TemplateVersionRecorded'>;

export interface TemplateStream {
  readonly name: string;
  /** How many events the stream holds: the expected version of the next append. */
  readonly streamVersion: number;
  /** Every version, oldest first. */
  readonly versions: readonly TemplateVersionEntry[];
}

export function emptyTemplateStream(name: string): TemplateStream {
  return { name, streamVersion: 0, versions: [] };
}

export function evolveTemplate(stream: TemplateStream, event: { readonly type: 'TemplateVersionRecorded'; readonly payload: TemplateVersionEntry }): TemplateStream {
  return { ...stream, streamVersion: stream.streamVersion + 1, versions: [...stream.versions, event.payload] };
}

export function templateVersion(stream: TemplateStream, version: number): TemplateVersionEntry | null {
  return stream.versions.find((v) => v.version === version) ?? null;
}

export function templateHash(template: JobTemplate): string {
  return `sha256:${createHash('sha256').update(canonicalJson(template)).digest('hex')}`;
}

export type TemplateDecision =
  | { readonly kind: 'append'; readonly entry: TemplateVersionEntry }
  | { readonly kind: 'unchanged'; readonly version: number }
  | { readonly kind: 'rejected'; readonly errors: readonly SpecError[] };

/** A new version when the content differs from the latest; `parent`: the resolved template it extends, null without `extends`. */
export function decideApplyTemplate(stream: TemplateStream, template: JobTemplate, parent: ResolvedTemplate | null): TemplateDecision {
  const errors = templateErrors(template, parent);
  if (errors.length > 0) return { kind: 'rejected', errors };
  const hash = templateHash(template);
  const latest = stream.versions.at(-1);
  if (latest?.templateHash === hash) return { kind: 'unchanged', version: latest.version };
  const version = (latest?.version ?? 0) + 1;
  return { kind: 'append', entry: { name: template.name, version, templateHash: hash, template } };
}
