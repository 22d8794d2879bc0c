// The service-level report's counting, table-driven: batch runs judged when finished or missed,
// stream windows of the range.
import { validateSpec, type JobSpec, type SlaMissView } from '@fjc/contracts';
import { slaReportOf, targetOf } from './sla-report-of';

function spec(extra: Record<string, unknown>): JobSpec {
  const result = validateSpec({ job_id: 'j', artifact_path: 'a.jar', security: { artifact_verification: false }, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const batch = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { timezone: 'UTC', sla: { deadline: '06:00', within: '30m' } } });
const stream = spec({ job_type: 'stream', stream_config: { sla: { availability: 99.5, window: '1h' } } });
const H = 3_600_000;
const at = (ms: number) => new Date(Date.parse('2026-11-27T00:00:00Z') + ms);

function miss(extra: Partial<SlaMissView>): SlaMissView {
  return { objective: 'within', version: 1, run: null, window: null, target: 't', actual: 'a', recordedAt: at(0).toISOString(), ...extra };
}

describe('slaReportOf', () => {
  it('counts batch runs: finished in time met, missed missed, still going not judged', () => {
    const r = slaReportOf(
      { jobId: 'j', spec: batch, runsStarted: ['r1', 'r2', 'r3'], finished: new Set(['r1', 'r2']), misses: [miss({ run: { runNumber: 2, flinkJobId: 'r2', scheduledAt: at(0).toISOString(), dueAt: at(1).toISOString() } })] },
      at(0),
      at(24 * H),
      at(24 * H),
    );
    expect(r).toMatchObject({ jobType: 'batch', target: 'finished by 06:00 UTC and finished within 1800 s', judged: 2, met: 1, missed: 1 });
  });

  it('counts stream windows of the range up to now', () => {
    const windowMiss = miss({ objective: 'availability', window: { start: at(H).toISOString(), end: at(2 * H).toISOString() } });
    expect(slaReportOf({ jobId: 'j', spec: stream, runsStarted: [], finished: new Set(), misses: [windowMiss] }, at(0), at(24 * H), at(5 * H + 1))).toMatchObject({ judged: 5, met: 4, missed: 1 });
  });

  it('names the target as the spec writes it, and none without a level', () => {
    expect(targetOf(stream)).toBe('99.5% RUNNING per 3600 s window');
    expect(targetOf(spec({ job_type: 'stream' }))).toBeNull();
  });
});
