// When `fjc apply --wait` is done with a version: table-driven, from the status alone.
import type { JobSummary, JobView } from '@fjc/contracts';
import { jobView } from '../testing/fake-spec-service';
import { versionOutcome } from './version-outcome';

const STREAM = { job_id: 'orders', job_type: 'stream', artifact_path: 'jobs/orders.jar' };
const view = (status: Partial<JobSummary>): JobView => jobView('orders', { version: 4, desiredVersion: 4, ...status }, STREAM);
const error = { code: 'FJC_X', message: 'it broke' };

describe('versionOutcome of version 4', () => {
  it.each<[string, Partial<JobSummary>, string | null]>([
    ['stable: RUNNING, deployed, gates passed', { state: 'RUNNING', deployedVersion: 4, lastStableVersion: 4 }, 'stable'],
    ['stable: a metadata-only version adopted by the running job', { state: 'RUNNING', deployedVersion: 4, lastStableVersion: 3 }, 'stable'],
    ['waiting: a candidate', { state: 'RUNNING', deployedVersion: 4, candidate: true }, null],
    ['waiting: the old version still runs', { state: 'RUNNING', deployedVersion: 3, lastStableVersion: 3 }, null],
    ['waiting: an older FAILED status, not yet about version 4', { state: 'FAILED', desiredVersion: 3, deployedVersion: 3, lastError: error }, null],
    ['failed: FAILED about version 4', { state: 'FAILED', deployedVersion: 3, lastError: error }, 'failed'],
    ['failed: rolled back (failedVersion 4)', { state: 'ROLLED_BACK', deployedVersion: 3, failedVersion: 4, lastError: error }, 'failed'],
    ['failed: rolling back with failedVersion 4', { state: 'ROLLING_BACK', deployedVersion: 4, failedVersion: 4 }, 'failed'],
    ['failed: needs attention, whatever version', { state: 'NEEDS_ATTENTION', desiredVersion: 3, lastError: error }, 'failed'],
    ['failed: deleted', { state: 'DELETING', deleted: true }, 'failed'],
    ['superseded: version 5 applied meanwhile', { version: 5, state: 'UPGRADING', desiredVersion: 5, deployedVersion: 3 }, 'superseded'],
    ['stable before superseded: 4 is deployed and stable though 5 exists', { version: 5, state: 'RUNNING', desiredVersion: 4, deployedVersion: 4, lastStableVersion: 4 }, 'stable'],
  ])('%s', (_, status, kind) => {
    expect(versionOutcome(view(status), 4)?.kind ?? null).toBe(kind);
  });

  it('names the error of a failed version', () => {
    expect(versionOutcome(view({ state: 'ROLLED_BACK', deployedVersion: 3, lastStableVersion: 3, failedVersion: 4, lastError: error }), 4)).toEqual({
      kind: 'failed',
      message: 'version 4 failed (ROLLED_BACK, last stable version 3): FJC_X: it broke',
    });
  });
});
