// Test fixtures for the pure decide functions: valid specs, spec events and streams folded
// from them, so tests read given(events) -> when(command) -> then(decision). Not built.
import { canonicalSpec, specHash, validateSpec, type JobSpec } from '@fjc/contracts';
import { emptySpecStream, evolve, type SpecStream, type SpecStreamEvent } from '../spec-stream/spec-stream';

export const JOB = 'orders-enricher';
export const SIGNATURE = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A parsed, valid stream spec of JOB, with overrides applied before parsing. */
export function specOf(overrides: Record<string, unknown> = {}): JobSpec {
  const result = validateSpec({ job_id: JOB, job_type: 'stream', artifact_path: 'jobs/orders.jar', artifact_signature: SIGNATURE, ...overrides });
  if (!result.ok) throw new Error(`fixture spec is invalid: ${JSON.stringify(result.errors)}`);
  return canonicalSpec(result.spec);
}

export const updated = (version: number, spec: JobSpec = specOf()): SpecStreamEvent => ({
  type: 'SpecUpdated',
  payload: { version, specHash: specHash(spec), spec, warnings: [] },
});

export const suspended = (version: number, spec: JobSpec = specOf()): SpecStreamEvent => {
  const s = canonicalSpec({ ...spec, state: 'suspended' });
  return { type: 'JobSuspendRequested', payload: { version, specHash: specHash(s), spec: s } };
};

export const deleted = (lastVersion: number): SpecStreamEvent => ({ type: 'JobDeleteRequested', payload: { lastVersion } });

export function given(...events: SpecStreamEvent[]): SpecStream {
  return events.reduce(evolve, emptySpecStream(JOB));
}
