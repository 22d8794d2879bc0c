// Events of a job's spec stream, written by the spec-service and published on fjc.spec.events.
// Every event that makes a new spec version carries the whole spec (canonical, defaults
// applied), so the latest one alone says what is desired: replay needs no other source.
import { z } from 'zod';
import { JobSpecSchema } from '../spec/job-spec';
import { SpecWarningSchema } from '../spec/spec-error';
import { TemplateUseSchema } from '../templates/job-template';
import { SpecVersionSchema, UuidSchema } from './common';

const SpecHashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits');

/** A new version of the spec and its content. */
const specVersionFields = {
  version: SpecVersionSchema,
  specHash: SpecHashSchema,
  spec: JobSpecSchema,
};

/** ApplySpec (API or upstream) accepted a spec that differs from the current version. */
export const SpecUpdatedV1 = z.strictObject({
  ...specVersionFields,
  /** Warnings shown to whoever applied it, kept for the audit trail. */
  warnings: z.array(SpecWarningSchema),
  /** The template the spec was rendered from (name, version, parameters, the job's own fields);
   *  absent for a spec written whole. `spec` is the rendered result, so replay needs no template. */
  template: TemplateUseSchema.optional(),
});

/** A new version equal to the previous one but with state: suspended. */
export const JobSuspendRequestedV1 = z.strictObject({ ...specVersionFields, reason: z.string().optional() });

/** A new version equal to the previous one but with state: running. */
export const JobResumeRequestedV1 = z.strictObject({ ...specVersionFields, reason: z.string().optional() });

/** A new version whose content is that of an older one: history is never rewritten. */
export const JobRolledBackV1 = z.strictObject({
  ...specVersionFields,
  /** The version that was current before the rollback. */
  fromVersion: SpecVersionSchema,
  /** The older version whose content `version` repeats. */
  toVersion: SpecVersionSchema,
  /** A savepoint the operator named to start from, instead of toVersion's newest recorded state.
   *  Absent in older events and when the operator named none. */
  savepointPath: z.string().min(1).max(4096).optional(),
});

/** The job is to be stopped and forgotten; its stream ends here. */
export const JobDeleteRequestedV1 = z.strictObject({
  lastVersion: SpecVersionSchema,
  reason: z.string().optional(),
});

/** How an operator says a job that lost its state starts again (`fjc recover`). */
export const RecoveryChoiceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('savepoint'), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal('empty-state') }),
]);

/** An operator decided how a job in NEEDS_ATTENTION starts again (POST /jobs/{jobId}/recover). */
export const JobRecoveryRequestedV1 = z.strictObject({
  requestId: UuidSchema,
  from: RecoveryChoiceSchema,
});

/** Someone asked for a savepoint now (POST /jobs/{jobId}/savepoints). */
export const SavepointRequestedV1 = z.strictObject({
  requestId: UuidSchema,
  /** Overrides deployment.savepoint_path for this savepoint. */
  targetDirectory: z.string().min(1).optional(),
});
