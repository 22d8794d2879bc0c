// Follows one job until an applied version is done (see version-outcome.ts) or the time is up:
// reads the status (GET /api/v1/jobs/{id}) about once a second and prints a progress line each
// time what it shows changes. (When the API has a live stream, the pause between reads is where
// to wait for its next event instead.) The clock and the pause between reads are injected, so tests need
// not wait in real time.
import { JobViewSchema, type JobView } from '@fjc/contracts';
import { jobPath, type FjcApi } from '../api-client';
import { progressLine, versionOutcome } from './version-outcome';

export interface FollowOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type FollowResult =
  | { readonly kind: 'stable' | 'failed' | 'superseded'; readonly message: string; readonly job: JobView }
  | { readonly kind: 'timeout'; readonly message: string; readonly job: JobView }
  | { readonly kind: 'unreadable'; readonly message: string; readonly job: null };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function followVersion(api: FjcApi, jobId: string, version: number, options: FollowOptions, progress: (line: string) => void): Promise<FollowResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const deadline = now() + options.timeoutMs;
  let shown = '';
  for (;;) {
    const result = await api.call({ method: 'GET', path: jobPath(jobId) }, JobViewSchema);
    if (!result.ok) return { kind: 'unreadable', message: result.errors.map((e) => `${e.code}: ${e.message}`).join('; '), job: null };
    const job = result.body;
    const line = progressLine(job);
    if (line !== shown) progress(line);
    shown = line;
    const outcome = versionOutcome(job, version);
    if (outcome !== null) return { ...outcome, job };
    const left = deadline - now();
    if (left <= 0) return { kind: 'timeout', message: `version ${version} was not done within the timeout (state ${job.state})`, job };
    await sleep(Math.min(options.intervalMs, left));
  }
}
