// How refusals look over HTTP: {errors: [{path, message, code}]} with a status chosen by the
// first error's code. "expectedVersion" is shown as "If-Match", the header that carried it.
import type { Response } from 'express';
import type { CommandError } from '../spec-stream/command-error';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  FJC_JOB_NOT_FOUND: 404,
  FJC_JOB_DELETED: 404,
  FJC_VERSION_CONFLICT: 409,
  FJC_UNSUPPORTED_MEDIA_TYPE: 415,
  FJC_UNAUTHENTICATED: 401,
  FJC_FORBIDDEN: 403,
  FJC_STREAM_LIMIT_REACHED: 503,
  FJC_SHUTTING_DOWN: 503,
  FJC_PIPELINE_NOT_FOUND: 404,
  FJC_PIPELINE_RUN_NOT_FOUND: 404,
  FJC_PIPELINE_RUN_NOT_ENDED: 409,
  FJC_PIPELINE_STAGES_CHANGED: 409,
};

export interface ErrorBody {
  readonly errors: readonly CommandError[];
}

export function errorStatus(errors: readonly CommandError[]): number {
  return STATUS_BY_CODE[errors[0]?.code ?? ''] ?? 400;
}

export function errorBody(errors: readonly CommandError[]): ErrorBody {
  return { errors: errors.map((e) => (e.path === 'expectedVersion' ? { ...e, path: 'If-Match' } : e)) };
}

/** Sets the status of a refusal and returns its body (for handlers using passthrough responses). */
export function refuse(res: Response, errors: readonly CommandError[]): ErrorBody {
  res.status(errorStatus(errors));
  return errorBody(errors);
}
