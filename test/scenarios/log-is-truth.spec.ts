// Invariant 7: Kafka is transport, the log is truth. With a running stream job, a suspended one,
// a finished batch run and a nightly cron schedule, every topic and consumer group of the
// deployment is deleted, a projection fed only by Kafka (the spec-service's status read model)
// is wiped too, and so are the deployer's tables (rebuilt from the log with `fjc log replay
// --rebuild deployer`); the services come back on empty topics and `fjc log republish` sends the
// whole log again. The system converges to the same state: the read model is rebuilt, every consumer
// reads the republished events and dedupes them, no action is asked for or taken again, Flink
// runs the same jobs, and the system keeps working afterwards; at the end each service's tables
// rebuilt from the log alone (`fjc log replay --rebuild`) equal the ones it kept.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { CONSUMED, Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

const ROOT = join(__dirname, '..', '..');

describe('the log is truth: wiping every topic and republishing converges (invariant 7)', () => {
  let fjc: FjcSystem;
  let recovery: Recovery;
  const suffix = uniqueSuffix();
  const streaming = `truth-run-${suffix}`;
  const suspended = `truth-sus-${suffix}`;
  const batch = `truth-batch-${suffix}`;
  const nightly = `truth-cron-${suffix}`;

  beforeAll(async () => {
    fjc = await FjcSystem.start();
    recovery = await Recovery.open(fjc);
  });
  afterAll(async () => {
    await recovery?.close();
    await fjc?.stop();
  });

  it('converges to the same state, rebuilds the wiped read model, repeats no action, and keeps working', async () => {
    // No periodic checkpoints: each is a JobObserved, and the test compares the log and the
    // tables before and after at rest.
    const quiet = (s: Record<string, unknown>) => Object.assign(s.deployment as Record<string, unknown>, { checkpoint_interval: '1h' });
    // Shared slots: the stream jobs first, the batch run once one of them is suspended.
    expect((await fjc.request('PUT', `/jobs/${streaming}`, exampleSpec('stream-savepoint.yaml', streaming, quiet))).status).toBe(201);
    expect((await fjc.request('PUT', `/jobs/${suspended}`, exampleSpec('stream-stateless.yaml', suspended))).status).toBe(201);
    // Its 02:00 Berlin cron moved twelve hours from now, so it never fires while the test runs.
    const farAway = (s: Record<string, unknown>) => Object.assign(s.batch_config as Record<string, unknown>, { cron: `0 ${(new Date().getUTCHours() + 12) % 24} * * *`, timezone: 'UTC' });
    expect((await fjc.request('PUT', `/jobs/${nightly}`, exampleSpec('batch-cron.yaml', nightly, farAway))).status).toBe(201);
    const running = await fjc.waitForState(streaming, (j) => j.state === 'RUNNING', 'RUNNING', 90_000);
    await fjc.waitForState(suspended, (j) => j.state === 'RUNNING', 'RUNNING', 90_000);
    expect((await fjc.request('POST', `/jobs/${suspended}/suspend`)).status).toBeLessThan(300);
    await fjc.waitForState(suspended, (j) => j.state === 'SUSPENDED', 'SUSPENDED');
    expect((await fjc.request('PUT', `/jobs/${batch}`, exampleSpec('batch-once.yaml', batch))).status).toBe(201);
    await fjc.waitForState(batch, (j) => j.state === 'FINISHED', 'FINISHED', 90_000);
    await fjc.waitForState(nightly, (j) => j.state === 'SCHEDULED', 'SCHEDULED');
    await recovery.settled();
    const before = await recovery.snapshot();
    const viewsBefore = await Promise.all([streaming, suspended, batch, nightly].map((id) => fjc.job(id)));
    expect(before.jobStatus.map((r) => r.state)).toEqual(['FINISHED', 'SCHEDULED', 'RUNNING', 'SUSPENDED']); // by job id: batch, cron, run, sus
    expect(before.schedules).toEqual([expect.objectContaining({ job_id: nightly, state: 'active' })]);

    // Lose everything Kafka held: the services stop, every topic and group of this deployment is deleted.
    await Promise.all([...fjc.services.values()].map((s) => s.stop()));
    const prefix = fjc.world.topicPrefix;
    const topics = (await recovery.admin.listTopics()).filter((t) => t.startsWith(prefix));
    expect(topics.length).toBeGreaterThanOrEqual(9);
    const groups = (await recovery.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    expect(groups.sort()).toEqual(Object.keys(CONSUMED).map((s) => `${prefix}${s}`).sort());
    // A member that was killed rather than stopped stays in its group until its session times out.
    const left = async () => (await recovery.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => groups.includes(g));
    await eventually('the groups deleted', async () => recovery.admin.deleteGroups(await left()).then(left, left), (l) => l.length === 0, { timeoutMs: 30_000, intervalMs: 1_000 });
    await recovery.admin.deleteTopics({ topics, timeout: 30_000 });
    await eventually('the topics are gone', async () => (await recovery.admin.listTopics()).filter((t) => t.startsWith(prefix)), (left) => left.length === 0, { timeoutMs: 60_000, intervalMs: 500 });
    // ...and a projection that only Kafka feeds is lost with it.
    await recovery.owner.query(`delete from job_status`);
    await recovery.owner.query(`delete from inbox where topic = $1`, [`${prefix}job.lifecycle`]);
    // The deployer's action queue and the list of Flink jobs it observes are lost as well, and
    // rebuilt from the log alone (its inbox stays: the republished requests are deduped).
    await recovery.owner.query(`delete from deployer_actions; delete from deployer_jobs`);
    const deployerRebuild = recovery.rebuild('deployer');
    expect(deployerRebuild.stderr).not.toContain('FJC_REBUILD_FAILED');
    expect(deployerRebuild.stdout).toMatch(/^deployer actions and observed jobs rebuilt: \d+ events replayed, [1-9]\d* actions/);
    expect(deployerRebuild.status).toBe(0);

    for (const svc of fjc.services.values()) await svc.start();
    const republish = spawnSync(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), 'log', 'republish'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: fjc.world.db.url, KAFKA_BROKERS: fjc.world.env.KAFKA_BROKERS, FJC_TOPIC_PREFIX: prefix },
    });
    expect(republish.stderr).toMatch(/republished \d+ events \(at position \d+\)/); // progress
    expect(republish.status).toBe(0);
    expect(republish.stdout).toBe(`republished ${before.log.events} events\n`);

    await recovery.settled();
    const after = await recovery.snapshot();
    expect(after.jobStatus).toEqual(before.jobStatus); // rebuilt from the republished lifecycle events
    expect(after.reconciler).toEqual(before.reconciler);
    expect(after.schedules).toEqual(before.schedules);
    expect(after.deployerActions).toEqual(before.deployerActions); // nothing asked for or carried out again
    expect(after.deployerJobs).toEqual(before.deployerJobs);
    expect(after.log).toEqual(before.log); // not one new event: every republished one was deduped
    expect(after.inbox).toEqual(before.inbox);
    expect(await Promise.all([streaming, suspended, batch, nightly].map((id) => fjc.job(id)))).toEqual(viewsBefore);
    expect(await fjc.runningInFlinkSoon(streaming)).toEqual([running.flinkJobId]);
    expect(await fjc.runningInFlink(suspended)).toEqual([]);

    // A backup of the deployer's tables at this position, for a rebuild from it below.
    const backupAt = after.log.last as string;
    await recovery.owner.query(`create table backup_deployer_actions as select * from deployer_actions; create table backup_deployer_jobs as select * from deployer_jobs`);

    // The system works on the new topics: the suspended job resumes from its savepoint.
    expect((await fjc.request('POST', `/jobs/${suspended}/resume`)).status).toBeLessThan(300);
    const resumed = await fjc.waitForState(suspended, (j) => j.state === 'RUNNING' && j.version === 3, 'RUNNING again', 90_000);
    expect(await fjc.runningInFlinkSoon(suspended)).toEqual([resumed.flinkJobId]);

    // And what the services keep, rebuilt from the log alone, is what they kept.
    await recovery.expectRebuildsIdentical();

    // The deployer's tables restored from the backup, then the log after its position folded in
    // (the resume's Deploy and what followed): the same tables again.
    const live = await recovery.rebuildable();
    await recovery.owner.query(`delete from deployer_actions; delete from deployer_jobs;
      insert into deployer_actions overriding system value select * from backup_deployer_actions;
      insert into deployer_jobs select * from backup_deployer_jobs`);
    expect((await recovery.rebuildable()).deployerActions).not.toEqual(live.deployerActions);
    const tail = recovery.rebuild('deployer', '--after-position', backupAt);
    expect(tail.stderr).not.toContain('FJC_REBUILD_FAILED');
    expect(tail.stdout).toMatch(/^deployer actions and observed jobs rebuilt: [1-9]\d* events replayed, 1 actions, 1 results/);
    const rebuilt = await recovery.rebuildable();
    expect(rebuilt.deployerActions).toEqual(live.deployerActions);
    expect(rebuilt.deployerJobs).toEqual(live.deployerJobs);
    // Three settles (12 s each at the least), four service restarts and four Flink starts: more than the config's 180 s.
  }, 600_000);
});
