// The body of PUT /api/v1/jobs/{jobId}: a YAML document (text, read by yamlBody) or JSON
// (already parsed by Nest's JSON body parser). Anything else is refused with 415.
import { text } from 'express';
import type { Request } from 'express';
import type { ApplySpecInput } from '../use-cases/apply-spec/apply-spec';
import type { CommandError } from '../spec-stream/command-error';

export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Reads YAML bodies as text; JSON stays with Nest's own parser. */
export const yamlBody = text({ type: YAML_MEDIA_TYPES, limit: '1mb' });

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
