import { FakeFlink } from '../testing/fake-flink';
import { InMemoryJarCleanupStore } from '../testing/in-memory-jar-cleanup-store';
import { SHA, testSpec } from '../testing/carry-out-fixture';
import { cleansUpJarOnEnd, cleanUpEndedRuns } from './jar-cleanup';

const RUN1 = '11111111111111111111111111111111';
const RUN2 = '22222222222222222222222222222222';
const OTHER_SHA = 'b'.repeat(64);
const INTERVAL = 2_000;

interface World {
  readonly flink: FakeFlink;
  readonly store: InMemoryJarCleanupStore;
  /** One cleanup round at now + atMs. */
  round(atMs?: number): ReturnType<typeof cleanUpEndedRuns>;
}

function world(): World {
  const flink = new FakeFlink();
  const store = new InMemoryJarCleanupStore();
  const start = Date.parse('2025-06-01T00:00:00Z');
  return {
    flink,
    store,
    round: (atMs = 0) =>
      cleanUpEndedRuns({ store, clusters: { client: (name) => (name === 'default' ? flink : null) }, now: new Date(start + atMs), intervalMs: INTERVAL, limit: 100 }),
  };
}

/** A batch run on the default cluster from a freshly uploaded jar, its id cached for the next run. */
async function submitted(w: World, flinkJobId: string, opts: { cleanupJar?: boolean; sha256?: string; cluster?: string } = {}): Promise<string> {
  const jarId = await w.flink.uploadJar('/artifacts/nightly.jar');
  const cluster = opts.cluster ?? 'default';
  const sha256 = opts.sha256 ?? SHA;
  w.store.cached(cluster, sha256, jarId).job({ flinkJobId, cluster, jarId, sha256, cleanupJar: opts.cleanupJar ?? true });
  return jarId;
}

describe('cleansUpJarOnEnd', () => {
  const batch = (cleanup?: boolean) =>
    testSpec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, ...(cleanup === undefined ? {} : { batch_config: { cleanup_on_completion: cleanup } }) });

  it('is what a batch spec\'s batch_config.cleanup_on_completion says, false by default', () => {
    expect(cleansUpJarOnEnd(batch(true))).toBe(true);
    expect(cleansUpJarOnEnd(batch(false))).toBe(false);
    expect(cleansUpJarOnEnd(batch())).toBe(false);
  });

  it('is false for a stream job', () => {
    expect(cleansUpJarOnEnd(testSpec())).toBe(false);
  });
});

describe('cleaning up the jar of an ended batch run', () => {
  it.each(['FINISHED', 'FAILED', 'CANCELED'] as const)('deletes the jar of a run that ended %s and forgets it, so the next run uploads again', async (state) => {
    const w = world();
    const jarId = await submitted(w, RUN1);
    w.store.end(RUN1, state);

    expect(await w.round()).toEqual([{ run: { flinkJobId: RUN1, jobId: 'nightly', cluster: 'default', jarId, sha256: SHA }, outcome: 'deleted' }]);
    expect(w.flink.calls).toContain(`deleteJar ${jarId}`);
    expect(w.flink.jars.has(jarId)).toBe(false);
    expect(w.store.jarCache.size).toBe(0);
    expect(w.store.jobs.get(RUN1)?.cleanedAt).not.toBeNull();

    // Done once: later rounds leave it alone.
    expect(await w.round(10 * INTERVAL)).toEqual([]);
    expect(w.flink.count('deleteJar')).toBe(1);
  });

  it('keeps the jar of a run that is still going, of a run whose spec does not ask, and of a run Flink lost track of', async () => {
    const w = world();
    const running = await submitted(w, RUN1);
    const kept = await submitted(w, RUN2, { cleanupJar: false, sha256: OTHER_SHA });
    w.store.end(RUN2);
    const lost = await submitted(w, '33333333333333333333333333333333', { sha256: 'c'.repeat(64) });
    w.store.end('33333333333333333333333333333333', 'NOT_FOUND');

    expect(await w.round()).toEqual([]);
    expect(w.flink.count('deleteJar')).toBe(0);
    expect([running, kept, lost].every((id) => w.flink.jars.has(id))).toBe(true);
  });

  it('waits while another live job of the cluster uses the same jar, and deletes it once that one has ended too', async () => {
    const w = world();
    const jarId = await submitted(w, RUN1);
    w.store.job({ flinkJobId: RUN2, cluster: 'default', jarId, sha256: SHA, cleanupJar: true });
    w.store.end(RUN1);

    expect(await w.round()).toMatchObject([{ run: { flinkJobId: RUN1 }, outcome: 'in-use' }]);
    expect(w.flink.count('deleteJar')).toBe(0);
    expect(w.store.jarCache.get(`default ${SHA}`)).toBe(jarId);

    // Not asked again before the interval is up.
    expect(await w.round(INTERVAL / 2)).toEqual([]);

    w.store.end(RUN2);
    const outcomes = await w.round(INTERVAL);
    // Both runs are done with it: the first deletes it, the other finds it gone.
    expect(outcomes.map((o) => o.run.flinkJobId).sort()).toEqual([RUN1, RUN2]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['deleted', 'already-gone']);
    expect(w.flink.count('deleteJar')).toBe(2);
    expect(w.flink.jars.has(jarId)).toBe(false);
  });

  it('waits while an action under way is submitting from the same jar', async () => {
    const w = world();
    await submitted(w, RUN1);
    w.store.end(RUN1);
    w.store.openActionJars.push({ cluster: 'default', sha256: SHA });

    expect(await w.round()).toMatchObject([{ outcome: 'in-use' }]);
    w.store.openActionJars.length = 0;
    expect(await w.round(INTERVAL)).toMatchObject([{ outcome: 'deleted' }]);
  });

  it('is not held back by the same jar on another cluster', async () => {
    const w = world();
    await submitted(w, RUN1);
    w.store.job({ flinkJobId: RUN2, cluster: 'other', jarId: 'jar-elsewhere', sha256: SHA, cleanupJar: false });
    w.store.end(RUN1);
    expect(await w.round()).toMatchObject([{ outcome: 'deleted' }]);
  });

  it('takes a jar Flink no longer has (a restarted JobManager) as deleted', async () => {
    const w = world();
    const jarId = await submitted(w, RUN1);
    w.flink.jars.delete(jarId);
    w.store.end(RUN1);

    expect(await w.round()).toMatchObject([{ outcome: 'already-gone' }]);
    expect(w.store.jarCache.size).toBe(0);
    expect(w.store.jobs.get(RUN1)?.cleanedAt).not.toBeNull();
  });

  it('leaves the cache alone when it already names a newer upload of the same jar', async () => {
    const w = world();
    const old = await submitted(w, RUN1);
    w.store.cached('default', SHA, 'jar-newer');
    w.store.end(RUN1);

    await w.round();
    expect(w.flink.jars.has(old)).toBe(false);
    expect(w.store.jarCache.get(`default ${SHA}`)).toBe('jar-newer');
  });

  it('tries again next round when Flink is unreachable', async () => {
    const w = world();
    const jarId = await submitted(w, RUN1);
    w.store.end(RUN1);
    w.flink.unavailable('deleteJar', 1);

    expect(await w.round()).toMatchObject([{ outcome: 'failed', code: 'FJC_FLINK_UNAVAILABLE' }]);
    expect(w.flink.jars.has(jarId)).toBe(true);
    expect(w.store.jobs.get(RUN1)?.cleanedAt).toBeNull();
    // Forgotten already: a run starting meanwhile uploads a fresh copy instead of using this one.
    expect(w.store.jarCache.size).toBe(0);

    expect(await w.round(INTERVAL)).toMatchObject([{ outcome: 'deleted' }]);
    expect(w.flink.jars.has(jarId)).toBe(false);
  });

  it('reports a run on a cluster that is not configured', async () => {
    const w = world();
    await submitted(w, RUN1, { cluster: 'gone' });
    w.store.end(RUN1);
    expect(await w.round()).toMatchObject([{ outcome: 'failed', code: 'FJC_CLUSTER_UNKNOWN' }]);
  });
});
