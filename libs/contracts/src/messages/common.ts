// Identifiers and small shapes shared by every message: ids, times, actors, errors.
import { z } from 'zod';
import { JobIdSchema as SpecJobIdSchema } from '../spec/field-types';

/** A job id as in the spec: ^[a-z0-9][a-z0-9-]{0,62}$. */
export const JobIdSchema = SpecJobIdSchema;

export const UuidSchema = z.uuid();

/** Flink's JobID: 32 lowercase hex digits. FJC chooses it before submitting, so a retry cannot start a second job. */
export const FlinkJobIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits');
export type FlinkJobId = z.infer<typeof FlinkJobIdSchema>;

/** Flink's savepoint triggerId: 32 hex digits, chosen by FJC so a re-sent request starts no second savepoint. */
export const TriggerIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits');
export type TriggerId = z.infer<typeof TriggerIdSchema>;

/** ISO-8601 in UTC with a "Z", e.g. 2025-01-01T02:00:00.000Z. */
export const UtcTimestampSchema = z.iso.datetime({ offset: false });

/** A version of a job's spec stream: 1, 2, 3, ... */
export const SpecVersionSchema = z.int().min(1);

export const ACTOR_KINDS = ['user', 'service', 'upstream'] as const;
/**
 * Who caused an event. `kind` and `id` are all that events before authentication carry; an
 * authenticated caller adds who vouched for it: the token's `issuer` and `subject` (OIDC), a
 * display `name`, and `tokenId` for an FJC API token. `id` is then the subject.
 */
const actorFields = {
  kind: z.enum(ACTOR_KINDS),
  id: z.string().min(1),
  issuer: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  tokenId: z.string().min(1).optional(),
};
export const ActingActorSchema = z.strictObject(actorFields);
export const ActorSchema = z.strictObject({
  ...actorFields,
  /** The authenticated service identity that acted on behalf of this actor (impersonation). */
  via: ActingActorSchema.optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

/** A stable error code: FJC_ and upper-case words. */
export const ErrorCodeSchema = z.string().regex(/^FJC_[A-Z0-9_]+$/, 'must be an FJC_ error code');

export const ErrorInfoSchema = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string().min(1),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;
