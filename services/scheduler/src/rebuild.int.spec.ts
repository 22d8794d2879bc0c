// Recovery: the scheduler's schedules rebuilt from the event log by `fjc log replay --rebuild
// scheduler` are identical to the ones the running scheduler kept: spec events appended to the
// log (as the spec-service appends them) reach the real scheduler through the relay and Kafka,
// its ticks land in the log, and the rebuild folds both, from the start or from a position. It
// is refused while the scheduler runs.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { specHash, validateSpec, validateSpecDocument, type JobSpec } from '@fjc/contracts';
import { appendToStream, databaseOf, inTransaction, roleUrl, serviceRoleName } from '@fjc/event-log';
import { eventually, isolatedWorld, ServiceProcess, uniqueSuffix, type IsolatedWorld } from '@fjc/testing';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'tools', 'cli', 'bin', 'fjc.js');
const EXAMPLE = join(ROOT, 'examples', 'specs', 'batch-cron.yaml');

function batchSpec(jobId: string, batch: Record<string, unknown>, state: 'running' | 'suspended' = 'running'): JobSpec {
  const example = validateSpecDocument(readFileSync(EXAMPLE, 'utf8'), 'batch-cron.yaml');
  if (!example.ok || example.spec.job_type !== 'batch') throw new Error('batch-cron.yaml is not a valid batch spec');
  const changed = validateSpec({ ...example.spec, job_id: jobId, state, batch_config: { ...example.spec.batch_config, ...batch } });
  if (!changed.ok) throw new Error(`spec invalid: ${JSON.stringify(changed.errors)}`);
  return changed.spec;
}

describe('scheduler rebuild from the log (real PostgreSQL, Kafka and scheduler)', () => {
  let world: IsolatedWorld;
  let owner: Pool;
  let app: Pool;
  let scheduler: ServiceProcess;
  const suffix = uniqueSuffix();

  beforeAll(async () => {
    world = await isolatedWorld({ FJC_SCHEDULER_INTERVAL_MS: '200', LOG_LEVEL: 'warn' });
    scheduler = await new ServiceProcess('scheduler', world.env).start();
    owner = new Pool({ connectionString: world.db.url, max: 2 });
    // As the spec-service's role: the events are the spec-service's.
    app = new Pool({ connectionString: roleUrl(world.db.url, serviceRoleName('spec-service', databaseOf(world.db.url))), max: 2 });
  }, 90_000);
  afterAll(async () => {
    await scheduler?.stop();
    await app?.end();
    await owner?.end();
    await world?.close();
  });

  /** What the spec-service appends for a version: the relay takes it to the scheduler. */
  async function appendSpecEvent(jobId: string, type: 'SpecUpdated' | 'JobSuspendRequested' | 'JobResumeRequested', version: number, spec: JobSpec): Promise<void> {
    const payload = type === 'SpecUpdated' ? { version, specHash: specHash(spec), spec, warnings: [] } : { version, specHash: specHash(spec), spec };
    await appendEvent(jobId, type, payload);
  }

  async function appendEvent(jobId: string, type: string, payload: unknown): Promise<void> {
    const result = await inTransaction(app, (tx) =>
      appendToStream(tx, `spec-${jobId}`, 'any', [
        {
          eventId: randomUUID(),
          type,
          schemaVersion: 1,
          jobId,
          payload,
          metadata: { producer: 'spec-service', actor: { kind: 'user', id: 'rebuild-test' }, correlationId: randomUUID(), causationId: null },
          occurredAt: new Date(),
        },
      ]),
    );
    if (result.status !== 'appended') throw new Error(`append to spec-${jobId}: ${JSON.stringify(result)}`);
  }

  const row = async (jobId: string) =>
    (await owner.query<{ state: string; runs_so_far: number }>('select state, runs_so_far from scheduler_schedules where job_id = $1', [jobId])).rows[0] ?? null;
  const schedules = async () =>
    (
      await owner.query(
        `select job_id, spec_version, source_event_id, state, cron, timezone, max_runs, runs_so_far, starting_deadline_seconds, next_fire_at
         from scheduler_schedules order by job_id`,
      )
    ).rows;
  const lastPosition = async () => (await owner.query<{ p: string }>('select max(position)::text as p from event_log')).rows[0].p;
  const rebuild = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'log', 'replay', '--rebuild', 'scheduler', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: world.db.url } });

  it('rebuilds exhausted, suspended, resumed, nightly and deleted schedules exactly as the scheduler kept them', async () => {
    const exhausted = `exhausted-${suffix}`;
    const paused = `paused-${suffix}`;
    const nightly = `nightly-${suffix}`;
    const gone = `gone-${suffix}`;
    const everySecond = { cron: '* * * * * *', starting_deadline_seconds: 60 };
    // Once a day, twelve hours from now: never due while the test runs (the example's 02:00 Berlin could be).
    const daily = { cron: `0 ${(new Date().getUTCHours() + 12) % 24} * * *`, timezone: 'UTC' };

    await appendSpecEvent(exhausted, 'SpecUpdated', 1, batchSpec(exhausted, { ...everySecond, max_runs: 3 }));
    await appendSpecEvent(paused, 'SpecUpdated', 1, batchSpec(paused, { ...everySecond, max_runs: 1000 }));
    await appendSpecEvent(nightly, 'SpecUpdated', 1, batchSpec(nightly, daily));
    await appendSpecEvent(gone, 'SpecUpdated', 1, batchSpec(gone, daily));
    await eventually('exhausted after 3 runs', () => row(exhausted), (r) => r?.state === 'exhausted' && r.runs_so_far === 3, { timeoutMs: 30_000 });
    await eventually('2 runs of the paused job', () => row(paused), (r) => (r?.runs_so_far ?? 0) >= 2, { timeoutMs: 30_000 });
    await appendSpecEvent(paused, 'JobSuspendRequested', 2, batchSpec(paused, { ...everySecond, max_runs: 1000 }, 'suspended'));
    await appendEvent(gone, 'JobDeleteRequested', { lastVersion: 1 });
    await eventually('suspended', () => row(paused), (r) => r?.state === 'suspended', { timeoutMs: 30_000 });
    await eventually('deleted', () => row(gone), (r) => r?.state === 'deleted', { timeoutMs: 30_000 });
    // Quiet now (the nightly job ticks in twelve hours): a backup of the table as it was at this position.
    const backupAt = await lastPosition();
    const backup = await schedules();

    const runs = (await row(paused))?.runs_so_far ?? 0;
    await appendSpecEvent(paused, 'JobResumeRequested', 3, batchSpec(paused, { ...everySecond, max_runs: runs + 2 }));
    await eventually('resumed, then exhausted', () => row(paused), (r) => r?.state === 'exhausted' && r.runs_so_far === runs + 2, { timeoutMs: 30_000 });

    // While a scheduler runs, its tables are not rebuilt under it: refused, nothing touched.
    const running = await schedules();
    const refused = rebuild();
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/FJC_REBUILD_FAILED: FJC_REBUILD_SERVICE_RUNNING: an instance of scheduler is running/);
    expect(await schedules()).toEqual(running);

    await scheduler.stop();
    const live = await schedules();
    expect(live.map((r) => [r.job_id, r.state])).toEqual([
      [exhausted, 'exhausted'],
      [gone, 'deleted'],
      [nightly, 'active'],
      [paused, 'exhausted'],
    ]);

    // Lost rows: a rebuild from the start gives the same table.
    await owner.query('delete from scheduler_schedules');
    const full = rebuild();
    expect(full.stderr).not.toMatch(/FJC_REBUILD_FAILED/);
    expect(full.status).toBe(0);
    expect(full.stderr).toMatch(/replayed \d+ events \(at position \d+\)/);
    expect(full.stdout).toMatch(new RegExp(`scheduler schedules rebuilt: \\d+ events replayed, 7 spec events, ${3 + runs + 2} ticks, 4 schedules`));
    expect(await schedules()).toEqual(live);

    // A table restored from the backup: folding in what followed its position gives the same table.
    await owner.query('delete from scheduler_schedules');
    for (const r of backup) {
      await owner.query(
        `insert into scheduler_schedules (job_id, spec_version, source_event_id, state, cron, timezone, max_runs, runs_so_far, starting_deadline_seconds, next_fire_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())`,
        [r.job_id, r.spec_version, r.source_event_id, r.state, r.cron, r.timezone, r.max_runs, r.runs_so_far, r.starting_deadline_seconds, r.next_fire_at],
      );
    }
    const tail = rebuild('--after-position', backupAt);
    expect(tail.status).toBe(0);
    expect(tail.stdout).toMatch(/scheduler schedules rebuilt: \d+ events replayed, 1 spec events, 2 ticks, 1 schedules/);
    expect(await schedules()).toEqual(live);

    // A position the log does not have: a clear error, and the table as it was.
    const bad = rebuild('--after-position', '99999999');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/FJC_REBUILD_FAILED: no event at position 99999999/);
    expect(await schedules()).toEqual(live);
  });
});
