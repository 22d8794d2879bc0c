// What the services keep, seen from the database and Kafka, for the recovery scenarios: a
// snapshot of every table the services derive from the log, whether every consumer group has
// read its topics to the end, "the system is quiet", and the check that each service's tables
// rebuilt from the log with `fjc log replay --rebuild` equal the ones it kept live.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Pool } from 'pg';
import { eventually } from '@fjc/testing';
import type { FjcSystem } from './system';

const ROOT = join(__dirname, '..', '..');

/** Who consumes what (DESIGN.md, Services). */
export const CONSUMED: Record<string, string[]> = {
  'spec-service': ['job.lifecycle'],
  reconciler: ['spec.events', 'schedule.ticks', 'deploy.results', 'job.observations'],
  deployer: ['deploy.actions'],
  scheduler: ['spec.events'],
};

/** The services whose tables `fjc log replay --rebuild` rebuilds. */
export const REBUILDABLE = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;

export class Recovery {
  private constructor(
    private readonly fjc: FjcSystem,
    readonly owner: Pool,
    readonly admin: Admin,
  ) {}

  static async open(fjc: FjcSystem): Promise<Recovery> {
    const admin = new Kafka({ clientId: 'fjc-recovery-test', brokers: fjc.world.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    return new Recovery(fjc, new Pool({ connectionString: fjc.world.db.url, max: 2 }), admin);
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
    await this.owner.end();
  }

  private async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    return (await this.owner.query(sql)).rows;
  }

  /** The tables the rebuild makes, without the columns that only say when a row was written. */
  async rebuildable() {
    return {
      jobSpecs: await this.rows(`select job_id, version, spec_hash, spec, deleted from job_specs order by job_id`),
      jobStatus: await this.rows(`select job_id, lifecycle_version, state, desired_version, deployed_version, last_stable_version,
                                         flink_job_id, last_error, reason, alert, changed_at from job_status order by job_id`),
      reconciler: await this.rows(`select job_id, state, stream_version, lifecycle from reconciler_jobs order by job_id`),
      schedules: await this.rows(`select job_id, spec_version, source_event_id, state, cron, timezone, max_runs, runs_so_far, starting_deadline_seconds, next_fire_at
                                  from scheduler_schedules order by job_id`),
      // Not the jar ids (only Flink knows them) nor when rows were written or are next due.
      // Ordered per job: the live deployer numbers actions in the order it consumed them, which
      // across partitions (jobs) need not be the log's order; within a job both follow the log.
      deployerActions: await this.rows(`select action_id, job_id, cluster, kind, flink_job_id, request, cause - 'traceparent' as cause, status, attempt,
                                               savepoint_location, result from deployer_actions order by job_id, seq`),
      deployerJobs: await this.rows(`select flink_job_id, job_id, cluster, last_state, last_backpressure, savepoint, terminal from deployer_jobs order by flink_job_id`),
      // Pipelines: not when the next cron time is (after a rebuild it follows the last scheduled run).
      pipelines: await this.rows(`select pipeline_id, namespace, version, spec from pipelines order by pipeline_id`),
      pipelineRuns: await this.rows(`select run_id, pipeline_id, pipeline_version, trigger, status, state, stream_version, next_check_at from pipeline_runs order by run_id`),
      pipelineStageJobs: await this.rows(`select job_id, spec_version, run_id, stage, attempt from pipeline_stage_jobs order by job_id, spec_version`),
    };
  }

  /** Everything the services derived from the log. */
  async snapshot() {
    return {
      ...(await this.rebuildable()),
      log: (await this.rows(`select count(*)::int as events, max(position)::text as last from event_log`))[0],
      inbox: await this.rows(`select consumer, topic, count(*)::int as n from inbox group by 1, 2 order by 1, 2`),
    };
  }

  /** Partitions some consumer group has not committed to the end of (empty when all are read). */
  async consumedToTheEnd(): Promise<string[]> {
    const behind: string[] = [];
    const prefix = this.fjc.world.topicPrefix;
    for (const [service, topics] of Object.entries(CONSUMED)) {
      const groupId = `${prefix}${service}`;
      for (const short of topics) {
        const topic = `${prefix}${short}`;
        const ends = await this.admin.fetchTopicOffsets(topic);
        const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          if (Number(end.high) !== 0 && Number(at) !== Number(end.high)) behind.push(`${groupId} ${topic}[${end.partition}] at ${at} of ${end.high}`);
        }
      }
    }
    return behind;
  }

  /** The system is quiet: every group is at the end and nothing changes for longer than a resync. */
  async settled(): Promise<void> {
    await eventually('every consumer group at the end of its topics', () => this.consumedToTheEnd(), (b) => b.length === 0, { timeoutMs: 90_000, intervalMs: 500 });
    // A decision that waits for time (a candidate's stability gate, a back-off) is not at rest:
    // wait until none is due within the next two minutes.
    await eventually(
      'no reconciler decision due soon',
      async () => (await this.owner.query<{ n: string }>(`select count(*) as n from reconciler_jobs where next_look_at < now() + interval '2 minutes'`)).rows[0].n,
      (n) => n === '0',
      { timeoutMs: 150_000, intervalMs: 1_000 },
    );
    let last = '';
    await eventually(
      'the log and the tables stop changing',
      async () => {
        await new Promise((r) => setTimeout(r, 6_000)); // longer than one resync interval (5 s)
        const now = JSON.stringify(await this.snapshot());
        const same = now === last;
        last = now;
        return same;
      },
      Boolean,
      { timeoutMs: 120_000, intervalMs: 0 },
    );
  }

  /** `fjc log replay --rebuild SERVICE` against this system's database. */
  rebuild(service: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), 'log', 'replay', '--rebuild', service, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: this.fjc.world.db.url },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** Once quiet, with the services stopped: each service's tables rebuilt from the log equal the live ones. */
  async expectRebuildsIdentical(...args: string[]): Promise<void> {
    await this.settled();
    // The deployer and the scheduler bring news from outside (Flink observations such as a new
    // checkpoint, clock ticks) at any moment. Stopped together with the rest, one of them can
    // append an event that the reconciler, already stopped, never folds in, and the rebuild
    // (which folds the whole log) is then ahead of the live tables. So stop them first, let the
    // others consume what they appended, then stop the others.
    const outside = [...this.fjc.services.entries()].filter(([key]) => key.startsWith('deployer-') || key.startsWith('scheduler-'));
    for (const [, svc] of outside) await svc.stop();
    await this.settled();
    for (const svc of this.fjc.services.values()) await svc.stop();
    const live = await this.rebuildable();
    for (const service of REBUILDABLE) {
      const run = this.rebuild(service, ...args);
      if (run.status !== 0) throw new Error(`fjc log replay --rebuild ${service} exited ${run.status}: ${run.stderr}`);
      expect(run.stdout).toMatch(/ rebuilt: \d+ events replayed/);
    }
    const rebuilt = await this.rebuildable();
    // Field by field, so a difference names its table.
    expect(rebuilt.jobSpecs).toEqual(live.jobSpecs);
    expect(rebuilt.jobStatus).toEqual(live.jobStatus);
    expect(rebuilt.reconciler).toEqual(live.reconciler);
    expect(rebuilt.schedules).toEqual(live.schedules);
    expect(rebuilt.deployerActions).toEqual(live.deployerActions);
    expect(rebuilt.deployerJobs).toEqual(live.deployerJobs);
    expect(rebuilt.pipelines).toEqual(live.pipelines);
    expect(rebuilt.pipelineRuns).toEqual(live.pipelineRuns);
    expect(rebuilt.pipelineStageJobs).toEqual(live.pipelineStageJobs);
  }
}
