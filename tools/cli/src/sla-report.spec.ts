// `fjc sla report` against a fake spec-service: the query it sends, the table it prints, and a
// refused range passed on with its path.
import type { SlaReport } from '@fjc/contracts';
import { fakeSpecService, fjc } from './testing/fake-spec-service';

const fake = fakeSpecService();
const FROM = '2026-11-27T00:00:00.000Z';
const TO = '2026-11-28T00:00:00.000Z';
const QUERY = `/api/v1/sla?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&namespace=team`;

const REPORT: SlaReport = {
  from: FROM,
  to: TO,
  jobs: [
    {
      jobId: 'nightly',
      namespace: 'team',
      jobType: 'batch',
      target: 'finished by 06:00 UTC',
      judged: 2,
      met: 1,
      missed: 1,
      misses: [
        {
          objective: 'deadline',
          version: 4,
          run: { runNumber: 7, flinkJobId: 'f'.repeat(32), scheduledAt: '2026-11-27T02:00:00.000Z', dueAt: '2026-11-27T06:00:00.000Z' },
          window: null,
          target: 'finished by 06:00 UTC',
          actual: 'still RUNNING at 2026-11-27T06:00:00.000Z',
          recordedAt: '2026-11-27T06:00:01.000Z',
        },
      ],
    },
  ],
};

describe('fjc sla report', () => {
  it('asks for the range and namespace and prints met and missed per job, then each miss', async () => {
    fake.answers[`GET ${QUERY}`] = { status: 200, body: REPORT };
    const run = await fjc('sla', 'report', '--from', FROM, '--to', TO, '--namespace', 'team');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/^JOB\s+NAMESPACE\s+TYPE\s+TARGET\s+JUDGED\s+MET\s+MISSED$/);
    expect(run.lines[1]).toMatch(/^nightly\s+team\s+batch\s+finished by 06:00 UTC\s+2\s+1\s+1$/);
    expect(run.stdout).toMatch(/nightly\s+2026-11-27T06:00:01.000Z\s+deadline\s+run 7 \(f{32}\)\s+finished by 06:00 UTC\s+still RUNNING at/);
  });

  it('passes a refused range on with its path', async () => {
    fake.answers[`GET ${QUERY}`] = { status: 400, body: { errors: [{ path: 'to', message: 'must be after from', code: 'FJC_INVALID_QUERY' }] } };
    const run = await fjc('sla', 'report', '--from', FROM, '--to', TO, '--namespace', 'team');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('fjc: to: must be after from\n');
  });
});
