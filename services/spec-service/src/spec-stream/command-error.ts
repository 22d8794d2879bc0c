// Expected refusals of a spec command, as values with stable codes. `path` names what was wrong
// the way the caller wrote it: a spec field, "job_id", "toVersion" or "expectedVersion" (the
// HTTP adapter shows the last as "If-Match", the header that carried it).
import type { SpecErrorCode } from '@fjc/contracts';

export const SPEC_COMMAND_ERROR_CODES = [
  'FJC_JOB_NOT_FOUND',
  'FJC_JOB_DELETED',
  'FJC_JOB_ID_MISMATCH',
  'FJC_JOB_ID_RESERVED',
  'FJC_VERSION_CONFLICT',
  'FJC_VERSION_NOT_FOUND',
  'FJC_INVALID_REQUEST',
  'FJC_UNSUPPORTED_MEDIA_TYPE',
  'FJC_UNAUTHENTICATED',
  'FJC_FORBIDDEN',
  'FJC_INVALID_SELECTOR',
  'FJC_INVALID_CURSOR',
  'FJC_STREAM_LIMIT_REACHED',
  'FJC_SHUTTING_DOWN',
  'FJC_PIPELINE_ID_MISMATCH',
  'FJC_PIPELINE_NOT_FOUND',
  'FJC_PIPELINE_RUN_NOT_FOUND',
  'FJC_PIPELINE_RUN_NOT_ENDED',
  'FJC_PIPELINE_UNKNOWN_STAGE',
  'FJC_PIPELINE_STAGES_CHANGED',
] as const;
export type SpecCommandErrorCode = (typeof SPEC_COMMAND_ERROR_CODES)[number];

export interface CommandError {
  readonly code: SpecCommandErrorCode | SpecErrorCode;
  readonly path: string;
  readonly message: string;
  /** Where in the submitted document, when it was one. */
  readonly line?: number;
  readonly column?: number;
}

export const commandErrors = {
  jobNotFound: (jobId: string): CommandError => ({ code: 'FJC_JOB_NOT_FOUND', path: '', message: `job ${jobId} does not exist` }),
  jobDeleted: (jobId: string, lastVersion: number): CommandError => ({
    code: 'FJC_JOB_DELETED',
    path: '',
    message: `job ${jobId} was deleted (its last version was ${lastVersion}); apply a spec to create it again`,
  }),
  jobIdMismatch: (urlJobId: string, specJobId: string): CommandError => ({
    code: 'FJC_JOB_ID_MISMATCH',
    path: 'job_id',
    message: `must equal the job id of the request (${urlJobId}), got "${specJobId}"`,
  }),
  jobIdReserved: (jobId: string, prefix: string): CommandError => ({
    code: 'FJC_JOB_ID_RESERVED',
    path: 'job_id',
    message: `must not start with "${prefix}", got "${jobId}": the log files a template's events under ${prefix}<template name>, so a job of that name would share their history; choose another name`,
  }),
  versionConflict: (expected: number, actual: number): CommandError => ({
    code: 'FJC_VERSION_CONFLICT',
    path: 'expectedVersion',
    message: `expected version ${expected}, but the current version is ${actual}`,
  }),
  concurrentChange: (jobId: string): CommandError => ({
    code: 'FJC_VERSION_CONFLICT',
    path: '',
    message: `job ${jobId} kept changing concurrently; try again`,
  }),
  versionNotFound: (toVersion: number, current: number): CommandError => ({
    code: 'FJC_VERSION_NOT_FOUND',
    path: 'toVersion',
    message: `must be an existing version (1 to ${current}), got ${toVersion}`,
  }),
};
