// Flink's REST API misbehaving between the deployer and a healthy Flink (a fault proxy in
// front of it: resets after the request was sent, 503s, hangs, garbage): no Flink job runs twice,
// no jar is uploaded twice, the circuit breaker opens and bounds the calls, and FJC recovers by
// itself once the proxy passes through again.
import { eventually, stackEnv, stackFlinkClient, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { FlinkFaultProxy, type FaultMode } from './support/flink-fault-proxy';

const SHA = 'd7cca577a37d4ee8817c050e7040c6a5af7ed6e9d0c5fbb23f9f2a86c4c88555'; // examples/specs artifact_signature
const JAR_NAME = `fjc-${SHA}.jar`;
const HALF_OPEN_MS = 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Flink REST faults between the deployer and Flink', () => {
  let proxy: FlinkFaultProxy;
  let fjc: FjcSystem;
  const flink = stackFlinkClient();
  const jobA = `proxied-a-${uniqueSuffix()}`;
  const jobB = `proxied-b-${uniqueSuffix()}`;

  beforeAll(async () => {
    // Start from a Flink without this jar, so the upload happens under the fault.
    for (const f of await flink.listJarFiles()) if (f.name === JAR_NAME) await flink.deleteJar(f.id);
    proxy = await FlinkFaultProxy.start(stackEnv('FLINK_REST_URL'));
    fjc = await FjcSystem.start({
      env: {
        FLINK_REST_URL: proxy.url,
        FJC_FLINK_CALL_ATTEMPTS: '3',
        FJC_FLINK_RETRY_DELAY_MS: '200',
        FJC_FLINK_RETRY_MAX_DELAY_MS: '1000',
        FJC_FLINK_TIMEOUT_MS: '3000',
        FJC_FLINK_BREAKER_THRESHOLD: '3',
        FJC_FLINK_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
      },
    });
  });
  afterAll(async () => {
    await fjc?.stop();
    await proxy?.close();
    await flink.close();
  });

  const ourJars = async () => (await flink.listJarFiles()).filter((f) => f.name === JAR_NAME);
  const ourFlinkJobs = async (jobId: string) => {
    const ids = new Set(await fjc.flinkJobIds(jobId));
    return (await flink.listJobs()).filter((j) => ids.has(j.jid));
  };
  const breakerState = async (): Promise<number> => {
    const text = await (await fetch(`${fjc.service('deployer').url}/metrics`)).text();
    const m = /fjc_deployer_flink_breaker_state\{[^}]*cluster="default"[^}]*\} (\d)/.exec(text);
    return m ? Number(m[1]) : -1;
  };
  /** Requests reaching the proxy over `ms` once the breaker is open: bounded by the half-open trials. */
  const callsWhileOpen = async (ms: number): Promise<number> => {
    await eventually('the breaker opens', breakerState, (s) => s === 2, { timeoutMs: 60_000, intervalMs: 200 });
    const since = Date.now();
    await sleep(ms);
    // The deployer's cluster-health probe (GET /overview, once per interval at most, never while
    // the breaker is open) is bounded on its own; the breaker bounds the rest.
    return proxy.count(since) - proxy.count(since, /^GET \/overview$/);
  };

  it('resets after Flink took the upload and the submission: one jar, one job, the breaker bounds the calls, and the job runs after', async () => {
    proxy.set('reset', /^POST \/jars\//);
    expect((await fjc.request('PUT', `/jobs/${jobA}`, exampleSpec('stream-stateless.yaml', jobA))).status).toBe(201);
    await eventually('Flink received the upload and a run request', async () => proxy.count(0, /^POST \/jars\/.+\/run$/), (n) => n >= 1, { timeoutMs: 60_000, intervalMs: 200 });

    // Open: about one trial call per half-open period, not a retry storm.
    const calls = await callsWhileOpen(3 * HALF_OPEN_MS);
    expect(calls).toBeLessThanOrEqual(3 * 2 + 2);
    expect(proxy.count(0, /^POST \/jars\/upload$/)).toBe(1); // the lost upload was found in the jar list, not repeated
    expect(await ourJars()).toHaveLength(1);

    proxy.set('pass');
    const running = await fjc.waitForState(jobA, (j) => j.state === 'RUNNING', 'RUNNING after the proxy passes through', 120_000);
    await eventually('the breaker closes', breakerState, (s) => s === 0, { timeoutMs: 30_000, intervalMs: 200 });
    // Every retried submission went under the same Flink job id: Flink ran it once.
    expect(proxy.count(0, /^POST \/jars\/.+\/run$/)).toBeGreaterThanOrEqual(2);
    const jobs = await ourFlinkJobs(jobA);
    expect(jobs.map((j) => j.jid)).toEqual([running.flinkJobId]);
    expect(await fjc.runningInFlinkSoon(jobA)).toEqual([running.flinkJobId]);
    expect(await ourJars()).toHaveLength(1);
  }, 300_000);

  it.each<[FaultMode]>([['503'], ['garbage'], ['hang']])('%s on every call: the breaker opens and bounds the calls; a job applied meanwhile runs once after', async (mode) => {
    const jobId = `${jobB}-${mode === '503' ? 'x' : mode}`;
    proxy.set(mode);
    expect((await fjc.request('PUT', `/jobs/${jobId}`, exampleSpec('stream-stateless.yaml', jobId, (s) => void ((s.args as string[])[3] = '5')))).status).toBe(201);
    // Hung calls end at FJC_FLINK_TIMEOUT_MS (3 s) each, so fewer of them fit.
    const calls = await callsWhileOpen(3 * HALF_OPEN_MS);
    expect(calls).toBeLessThanOrEqual(3 * 2 + 2);

    proxy.set('pass');
    const running = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING after the proxy passes through', 120_000);
    expect((await ourFlinkJobs(jobId)).map((j) => j.jid)).toEqual([running.flinkJobId]);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([running.flinkJobId]);
    // The first job ran on untouched throughout.
    expect((await fjc.job(jobA)).state).toBe('RUNNING');
    expect(await fjc.runningInFlinkSoon(jobA)).toHaveLength(1);
    expect(await ourJars()).toHaveLength(1);
    // Cancel it again: the session cluster's slots are shared.
    expect((await fjc.request('DELETE', `/jobs/${jobId}`)).status).toBeLessThan(300);
    await fjc.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED', 60_000);
  }, 300_000);
});
