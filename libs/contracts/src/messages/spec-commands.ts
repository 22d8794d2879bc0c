// The upstream command message on fjc.spec.commands and its result on
// fjc.spec.command-results, exactly as DESIGN.md has them. Commands come from other systems,
// so unknown fields are errors (a misspelt expectedVersion must not be silently dropped);
// the spec inside ApplySpec is checked separately by validateSpec, so its errors carry paths.
import { z } from 'zod';
import { ActorSchema, JobIdSchema, SpecVersionSchema, UuidSchema } from './common';
import { RecoveryChoiceSchema } from './spec-events';

/** The Kafka header that carries a command's credential, as on HTTP: "Bearer <token>", an OIDC
 *  access token or an FJC API token. Header names are matched without regard to case. */
export const SPEC_COMMAND_CREDENTIAL_HEADER = 'authorization';
/** The Kafka header naming the user a command acts for (callers allowed to impersonate only). */
export const SPEC_COMMAND_ON_BEHALF_OF_HEADER = 'x-fjc-on-behalf-of';
/** Headers that hold secrets: never stored, logged or dead-lettered. */
export const CREDENTIAL_HEADERS: readonly string[] = [SPEC_COMMAND_CREDENTIAL_HEADER];

export const SPEC_COMMAND_TYPES = ['ApplySpec', 'DeleteJob', 'SuspendJob', 'ResumeJob', 'RollbackJob', 'RecoverJob'] as const;
export type SpecCommandType = (typeof SPEC_COMMAND_TYPES)[number];

const commandFields = {
  commandId: UuidSchema,
  jobId: JobIdSchema,
  /** The spec version the sender believes is current; a mismatch rejects the command. */
  expectedVersion: SpecVersionSchema.optional(),
  actor: ActorSchema.optional(),
};

export const ApplySpecCommandSchema = z.strictObject({
  ...commandFields,
  type: z.literal('ApplySpec'),
  spec: z.record(z.string(), z.unknown()),
});
export const DeleteJobCommandSchema = z.strictObject({ ...commandFields, type: z.literal('DeleteJob') });
export const SuspendJobCommandSchema = z.strictObject({ ...commandFields, type: z.literal('SuspendJob') });
export const ResumeJobCommandSchema = z.strictObject({ ...commandFields, type: z.literal('ResumeJob') });
export const RollbackJobCommandSchema = z.strictObject({
  ...commandFields,
  type: z.literal('RollbackJob'),
  toVersion: SpecVersionSchema,
  /** Optional: the savepoint to start from instead of toVersion's newest recorded state. */
  savepointPath: z.string().min(1).max(4096).optional(),
});

/** How a job that lost its state (NEEDS_ATTENTION) starts again: from a savepoint, or empty. */
export const RecoverJobCommandSchema = z.strictObject({
  ...commandFields,
  type: z.literal('RecoverJob'),
  from: RecoveryChoiceSchema,
});

export const SpecCommandSchema = z.discriminatedUnion('type', [
  ApplySpecCommandSchema,
  DeleteJobCommandSchema,
  SuspendJobCommandSchema,
  ResumeJobCommandSchema,
  RollbackJobCommandSchema,
  RecoverJobCommandSchema,
]);
export type SpecCommand = z.infer<typeof SpecCommandSchema>;

export const SPEC_COMMAND_STATUSES = ['accepted', 'unchanged', 'rejected'] as const;

export const CommandErrorSchema = z.strictObject({
  path: z.string(),
  message: z.string().min(1),
  /** A stable FJC_ code; an addition to DESIGN.md's {path, message}, which readers may ignore. */
  code: z.string().optional(),
});

export const SpecCommandResultSchema = z
  .object({
    /** The command's commandId as sent: a UUID, except in the rejected result of a command
     *  whose commandId is malformed (that result names commandId in its errors). */
    commandId: z.string().min(1),
    jobId: JobIdSchema,
    status: z.enum(SPEC_COMMAND_STATUSES),
    /** The spec version after the command (the new one, or the current one when unchanged). */
    version: SpecVersionSchema.optional(),
    errors: z.array(CommandErrorSchema).optional(),
  })
  .refine((r) => r.status !== 'rejected' || (r.errors?.length ?? 0) > 0, {
    path: ['errors'],
    message: 'a rejected command needs at least one error',
  });
export type SpecCommandResult = z.infer<typeof SpecCommandResultSchema>;
