// The body of PUT /api/v1/jobs/{jobId}: a YAML document (text) or JSON, both read by
// bodyParsers. Anything else is refused with 415.
import { json, text } from 'express';
import type { Request } from 'express';
import type { SpecLimits } from '@fjc/contracts';
import type { ApplySpecInput } from '../use-cases/apply-spec/apply-spec';
import type { CommandError } from '../spec-stream/command-error';

export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** The body parsers, with one limit for JSON and YAML (the spec document limit). Nest's own
 *  parsers are off: they would also take form bodies. */
export function bodyParsers(limits: SpecLimits) {
  return [json({ type: 'application/json', limit: limits.maxDocumentBytes }), text({ type: YAML_MEDIA_TYPES, limit: limits.maxDocumentBytes })];
}

export type SpecBody = { readonly ok: true; readonly body: ApplySpecInput['body'] } | { readonly ok: false; readonly errors: CommandError[] };

export function specBodyOf(req: Request): SpecBody {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (YAML_MEDIA_TYPES.includes(mediaType)) return { ok: true, body: { kind: 'document', text: typeof req.body === 'string' ? req.body : '' } };
  if (mediaType === 'application/json') return { ok: true, body: { kind: 'value', value: req.body ?? {} } };
  return {
    ok: false,
    errors: [
      {
        code: 'FJC_UNSUPPORTED_MEDIA_TYPE',
        path: 'Content-Type',
        message: `must be application/json or application/yaml, got ${mediaType === '' ? 'none' : JSON.stringify(mediaType)}`,
      },
    ],
  };
}
