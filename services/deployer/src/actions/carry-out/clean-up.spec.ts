import type { DeployerAction } from '@fjc/contracts';
import { jarName } from '../../artifacts/jar-uploads';
import { fixture, SHA } from '../../testing/carry-out-fixture';
import { FakeFlink } from '../../testing/fake-flink';
import { InMemoryJarCleanupStore } from '../../testing/in-memory-jar-cleanup-store';
import { carryOut, jobsActedOn } from './carry-out';

const RUN1 = '11111111111111111111111111111111';
const RUN2 = '22222222222222222222222222222222';
const LIVE = '33333333333333333333333333333333';
const OTHER_SHA = 'b'.repeat(64);

const cleanUp = (...flinkJobIds: string[]): DeployerAction => ({ kind: 'CleanUp', flinkJobIds, reason: 'max_runs' });

/** Two ended runs of one jar (uploaded under its digest's name and cached), on the default cluster. */
async function endedRuns(opts: { store?: InMemoryJarCleanupStore; flink?: FakeFlink } = {}) {
  const flink = opts.flink ?? new FakeFlink();
  const store = opts.store ?? new InMemoryJarCleanupStore();
  const jarId = await flink.uploadJar('/artifacts/nightly.jar', jarName(SHA));
  store.cached('default', SHA, jarId);
  for (const run of [RUN1, RUN2]) store.job({ flinkJobId: run, cluster: 'default', jarId, sha256: SHA, cleanupJar: false }).end(run);
  return { flink, store, jarId, f: fixture({ flink, runJars: store }) };
}

describe('CleanUp', () => {
  it('deletes the jar the ended runs ran from and forgets it, so a next run uploads it again', async () => {
    const { flink, store, f } = await endedRuns();
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 1 });
    expect(flink.jars.size).toBe(0);
    expect(store.jarCache.size).toBe(0);
  });

  it('deletes only the jar ids it knows: another FJC on the cluster may use a copy under the same name', async () => {
    const { flink, jarId, f } = await endedRuns();
    const theirs = await flink.uploadJar('/artifacts/nightly.jar', jarName(SHA));
    const unrelated = await flink.uploadJar('/artifacts/other.jar', jarName(OTHER_SHA));
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 1 });
    expect([...flink.jars].sort()).toEqual([theirs, unrelated].sort());
    expect(flink.jars.has(jarId)).toBe(false);
  });

  it('keeps a jar another live job of the cluster runs from, and one an open action is about to run', async () => {
    const live = await endedRuns();
    live.store.job({ flinkJobId: LIVE, cluster: 'default', jarId: live.jarId, sha256: SHA, cleanupJar: false });
    expect(await carryOut(live.f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 0 });
    expect([...live.flink.jars]).toEqual([live.jarId]);
    expect(live.store.jarCache.size).toBe(1);
    expect(live.f.logs).toContain('another job or open action of the cluster uses the jar: kept');

    const opening = await endedRuns();
    opening.store.openActionJars.push({ cluster: 'default', sha256: SHA });
    expect(await carryOut(opening.f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 0 });
    expect(opening.flink.jars.size).toBe(1);
  });

  it('does not count the runs it cleans up as users of their jar, even one the observer has not seen end yet', async () => {
    const { flink, store, f } = await endedRuns();
    store.job({ flinkJobId: LIVE, cluster: 'default', jarId: 'jar-1', sha256: SHA, cleanupJar: false });
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2, LIVE))).toEqual({ ok: true, jarsDeleted: 1 });
    expect(flink.jars.size).toBe(0);
  });

  it('keeps a jar whose id a rebuilt deployer never learnt, and says so', async () => {
    const flink = new FakeFlink();
    await flink.uploadJar('/artifacts/nightly.jar', jarName(SHA));
    const store = new InMemoryJarCleanupStore();
    store.job({ flinkJobId: RUN1, cluster: 'default', jarId: null, sha256: null, cleanupJar: false }).end(RUN1);
    store.deployedDigests.set(RUN1, { cluster: 'default', sha256: SHA });
    const f = fixture({ flink, runJars: store });
    expect(await carryOut(f.ctx, cleanUp(RUN1))).toEqual({ ok: true, jarsDeleted: 0 });
    expect(flink.jars.size).toBe(1);
    expect(f.logs).toContain('the runs ended, but this deployer does not know the id of their jar on the cluster: kept');
  });

  it('leaves the jars of runs on other clusters alone', async () => {
    const { flink, store, f } = await endedRuns();
    const elsewhere = await flink.uploadJar('/artifacts/other.jar', jarName(OTHER_SHA));
    store.job({ flinkJobId: LIVE, cluster: 'eu', jarId: elsewhere, sha256: OTHER_SHA, cleanupJar: false }).end(LIVE);
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2, LIVE))).toEqual({ ok: true, jarsDeleted: 1 });
    expect([...flink.jars]).toEqual([elsewhere]);
  });

  it('succeeds without deleting anything when the jar is already gone, and so when repeated', async () => {
    const { f } = await endedRuns();
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 1 });
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 0 });
  });

  it('fails retryably while Flink is unreachable, and deletes the jar when asked again', async () => {
    const flink = new FakeFlink().unavailable('deleteJar', 3);
    const { f } = await endedRuns({ flink });
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toMatchObject({ ok: false, code: 'FJC_FLINK_UNREACHABLE', retryable: true });
    expect(flink.jars.size).toBe(1);
    expect(await carryOut(f.ctx, cleanUp(RUN1, RUN2))).toEqual({ ok: true, jarsDeleted: 1 });
    expect(flink.jars.size).toBe(0);
  });

  it('observes none of its runs again', () => {
    expect(jobsActedOn({ kind: 'CleanUp', flinkJobIds: [RUN1], reason: 'max_runs' })).toEqual([]);
  });
});
