// Each service scales on its own (DESIGN.md): with two instances of every service, each Kafka
// consumer group shares its partitions between both members, the HTTP API answers the same on
// either spec-service, and the work for a job is done once whichever instance takes it. When the
// deployer that ran a job and a reconciler are killed (SIGKILL), the survivors take over their
// partitions and carry the job through a suspend and a resume.
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { CONSUMED } from '../support/recovery';
import { exampleSpec, FjcSystem, type JobView } from '../support/system';

describe('two instances of every service', () => {
  let fjc: FjcSystem;
  let admin: Admin;
  const suffix = uniqueSuffix();
  const stream = `scale-run-${suffix}`;
  const batches = [1, 2].map((n) => `scale-batch-${n}-${suffix}`);

  beforeAll(async () => {
    fjc = await FjcSystem.start({ replicas: 2 });
    admin = new Kafka({ clientId: 'fjc-scale-test', brokers: fjc.world.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await fjc?.stop();
  });

  /** A request to one spec-service instance. */
  async function via(instance: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${fjc.service('spec-service', instance).url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fjc.world.adminToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Each member of a group and the number of partitions assigned to it. */
  async function members(service: string): Promise<number[]> {
    const { groups } = await admin.describeGroups([`${fjc.world.topicPrefix}${service}`]);
    const group = groups[0];
    if (group.state !== 'Stable') return [];
    return group.members.map((m) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return Object.values(assignment?.assignment ?? {}).reduce((n, partitions) => n + partitions.length, 0);
    });
  }

  /** The action ids of a job that a deployer instance started, from its JSON log lines. */
  function startedBy(instance: number, jobId: string): string[] {
    return fjc
      .service('deployer', instance)
      .logs(1_000)
      .split('\n')
      .map((line) => {
        try {
          return JSON.parse(line) as { event?: string; jobId?: string; actionId?: string };
        } catch {
          return {};
        }
      })
      .filter((l) => l.event === 'action.started' && l.jobId === jobId)
      .map((l) => l.actionId as string);
  }

  const deploysOf = async (jobId: string) =>
    (await fjc.events(jobId)).filter((e) => e.type === 'ActionRequested' && (e.payload.action?.kind === 'Deploy' || e.payload.action?.kind === 'Upgrade'));

  it('shares every consumer group between both instances, and runs each job once', async () => {
    for (const service of Object.keys(CONSUMED)) {
      const shares = await eventually(`both ${service} instances consuming`, () => members(service), (m) => m.length === 2 && m.every((n) => n > 0), {
        timeoutMs: 60_000,
        intervalMs: 1_000,
      });
      expect(shares).toHaveLength(2);
    }

    // Applied through one instance, read back through the other. The stream job first: on the
    // shared slots a stream job that finds none restarts (and may fail), a batch job waits.
    expect((await via(1, 'PUT', `/jobs/${stream}`, exampleSpec('stream-savepoint.yaml', stream))).status).toBe(201);
    const running = await fjc.waitForState(stream, (j) => j.state === 'RUNNING', 'RUNNING');
    expect((await via(2, 'GET', `/jobs/${stream}`)).body).toMatchObject({ jobId: stream, state: 'RUNNING', flinkJobId: running.flinkJobId });
    // (Flink may still be placing its tasks, or restarting it once if the cron scenario beside this one held the slot.)
    for (const [i, id] of batches.entries()) expect((await via(2 - (i % 2), 'PUT', `/jobs/${id}`, exampleSpec('batch-once.yaml', id))).status).toBe(201);
    for (const id of batches) await fjc.waitForState(id, (j) => j.state === 'FINISHED', 'FINISHED', 180_000);

    // Once each: one submission per job, whichever instances decided and carried it out.
    expect(await fjc.runningInFlinkSoon(stream)).toEqual([running.flinkJobId]);
    for (const id of [stream, ...batches]) {
      const deploys = await deploysOf(id);
      expect(new Set(deploys.map((e) => e.payload.action?.flinkJobId)).size).toBe(1);
      const started = (await fjc.events(id)).filter((e) => e.type === 'ActionStarted');
      expect(started.map((e) => e.payload.attempt)).toEqual(started.map(() => 1)); // no instance had to resume another's action
    }
    for (const id of batches) {
      const runs = await fjc.flinkJobIds(id);
      const states = await Promise.all(runs.map(async (jid) => (await fjc.flink.job(jid))?.state));
      expect(states).toEqual(['FINISHED']);
    }
  }, 300_000);

  it('carries a job on after the deployer that ran it and a reconciler are killed', async () => {
    const before = await fjc.job(stream);
    // Any deployer's executor may carry out any job's actions (one at a time per job): kill the one that ran this job.
    const ran = [1, 2].filter((i) => startedBy(i, stream).length > 0);
    expect(ran.length).toBeGreaterThan(0);
    fjc.service('deployer', ran[0]).kill9();
    fjc.service('reconciler', 1).kill9();

    // The survivors get every partition once Kafka gives the killed members up.
    for (const service of ['deployer', 'reconciler']) {
      const shares = await eventually(`one ${service} left with every partition`, () => members(service), (m) => m.length === 1 && m[0] > 0, {
        timeoutMs: 60_000,
        intervalMs: 1_000,
      });
      expect(shares).toHaveLength(1);
    }

    expect((await fjc.request('POST', `/jobs/${stream}/suspend`)).status).toBeLessThan(300);
    await fjc.waitForState(stream, (j) => j.state === 'SUSPENDED', 'SUSPENDED');
    expect(await fjc.runningInFlink(stream)).toEqual([]);
    expect((await fjc.request('POST', `/jobs/${stream}/resume`)).status).toBeLessThan(300);
    const resumed: JobView = await fjc.waitForState(stream, (j) => j.state === 'RUNNING' && j.flinkJobId !== before.flinkJobId, 'RUNNING again');
    expect(await fjc.runningInFlinkSoon(stream)).toEqual([resumed.flinkJobId]);
    // Resumed from the savepoint the suspend took, by the surviving deployer.
    const deploy = (await deploysOf(stream)).at(-1);
    expect(deploy?.payload.action).toMatchObject({ kind: 'Deploy', flinkJobId: resumed.flinkJobId, restoreFrom: { kind: 'savepoint' } });
    expect(startedBy(3 - ran[0], stream)).toContain(deploy?.payload.actionId);
  }, 300_000);
});
