// The state of one job's spec stream (`spec-<jobId>` in the log), folded from its events the
// emmett way: evolve(state, event) -> state, pure. It keeps every spec version, so a rollback
// is a lookup, and whether the job was deleted.
import type { JobSpec, PayloadOf, TemplateUse } from '@fjc/contracts';

export const SPEC_STREAM_EVENT_TYPES = [
  'SpecUpdated',
  'JobSuspendRequested',
  'JobResumeRequested',
  'JobRolledBack',
  'JobDeleteRequested',
  'SavepointRequested',
  'JobRecoveryRequested',
] as const;
export type SpecStreamEventType = (typeof SPEC_STREAM_EVENT_TYPES)[number];

export type SpecStreamEvent = {
  [T in SpecStreamEventType]: { readonly type: T; readonly payload: PayloadOf<T> };
}[SpecStreamEventType];

export interface SpecVersionEntry {
  readonly version: number;
  readonly specHash: string;
  readonly spec: JobSpec;
  /** The template the spec was rendered from; suspend, resume and rollback keep the one of the spec they repeat. */
  readonly template?: TemplateUse;
}

export interface SpecStream {
  readonly jobId: string;
  /** How many events the stream holds: the expected version of the next append. */
  readonly streamVersion: number;
  /** Every spec version, oldest first; the last one is current. */
  readonly versions: readonly SpecVersionEntry[];
  /** A JobDeleteRequested ended the stream. */
  readonly deleted: boolean;
}

export function specStreamId(jobId: string): string {
  return `spec-${jobId}`;
}

export function emptySpecStream(jobId: string): SpecStream {
  return { jobId, streamVersion: 0, versions: [], deleted: false };
}

export function currentSpec(stream: SpecStream): SpecVersionEntry | null {
  return stream.versions.at(-1) ?? null;
}

/** The spec version a caller sees: 0 before the first one. */
export function currentVersionNumber(stream: SpecStream): number {
  return currentSpec(stream)?.version ?? 0;
}

export function isSpecStreamEventType(type: string): type is SpecStreamEventType {
  return (SPEC_STREAM_EVENT_TYPES as readonly string[]).includes(type);
}

export function evolve(stream: SpecStream, event: SpecStreamEvent): SpecStream {
  const next = { ...stream, streamVersion: stream.streamVersion + 1 };
  switch (event.type) {
    case 'SpecUpdated':
    case 'JobSuspendRequested':
    case 'JobResumeRequested':
    case 'JobRolledBack': {
      const { version, specHash, spec } = event.payload;
      const template = templateOf(stream, event);
      // A version after a delete is the job created again.
      return { ...next, deleted: false, versions: [...stream.versions, { version, specHash, spec, ...(template ? { template } : {}) }] };
    }
    case 'JobDeleteRequested':
      return { ...next, deleted: true };
    case 'SavepointRequested':
    case 'JobRecoveryRequested':
      return next;
  }
}

function templateOf(stream: SpecStream, event: SpecStreamEvent): TemplateUse | undefined {
  switch (event.type) {
    case 'SpecUpdated':
      return event.payload.template;
    case 'JobRolledBack':
      return stream.versions.find((v) => v.version === event.payload.toVersion)?.template;
    default:
      return currentSpec(stream)?.template;
  }
}
