// The JSON bodies of the job action endpoints, as zod schemas (also used for the OpenAPI
// document), and how their problems become errors naming the field.
import { z } from 'zod';
import { RecoveryChoiceSchema, SavepointRequestedV1, SpecVersionSchema } from '@fjc/contracts';
import type { CommandError } from '../spec-stream/command-error';

const reason = z.string().min(1).max(500).optional();

/** Body of suspend, resume and delete; optional. */
export const ReasonRequestSchema = z.strictObject({ reason });
export const RollbackRequestSchema = z.strictObject({
  toVersion: SpecVersionSchema,
  /** Optional: the savepoint to start from instead of toVersion's newest recorded state. */
  savepointPath: z.string().min(1).max(4096).optional(),
});
export const SavepointRequestSchema = z.strictObject({ targetDirectory: SavepointRequestedV1.shape.targetDirectory });
/** Body of recover: {"from": {"kind": "savepoint", "path": "..."}} or {"from": {"kind": "empty-state"}}. */
export const RecoverRequestSchema = z.strictObject({ from: RecoveryChoiceSchema });

export type ParsedBody<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: CommandError[] };

/** A missing body is an empty object, so optional bodies may be left out. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): ParsedBody<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      code: 'FJC_INVALID_REQUEST',
      path: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    })),
  };
}
