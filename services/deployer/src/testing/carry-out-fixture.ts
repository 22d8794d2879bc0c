// A carry-out context on a fake Flink and a fake clock: sleeping moves the clock, so tests of
// waits and timeouts run instantly.
import { validateSpec, type ArtifactPolicy, type JobSpec } from '@fjc/contracts';
import type { SavepointReport, CarryOutContext } from '../actions/carry-out/carry-out-context';
import type { JarRef, JarSource } from '../artifacts/jar-uploads';
import { withTransientRetry } from '../flink/transient-retry';
import { EnvSecretProvider } from '../secrets/secret-providers';
import { SecretResolver } from '../secrets/secret-resolver';
import type { Sleep } from '../time/sleep';
import { FakeFlink } from './fake-flink';
import { InMemoryJarCleanupStore } from './in-memory-jar-cleanup-store';

export const SHA = 'd7cca577a37d4ee8817c050e7040c6a5af7ed6e9d0c5fbb23f9f2a86c4c88555';

export function testSpec(overrides: Record<string, unknown> = {}): JobSpec {
  const result = validateSpec({
    job_id: 'orders',
    job_type: 'stream',
    artifact_path: 'jobs/orders.jar',
    artifact_signature: `sha256:${SHA}`,
    entry_class: 'dev.fjc.testjob.TestJob',
    args: ['--mode', 'stream'],
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

export interface Fixture {
  readonly flink: FakeFlink;
  readonly ctx: CarryOutContext;
  readonly savepoints: SavepointReport[];
  /** The jars recorded, in order, each with how many runJar calls Flink had seen by then. */
  readonly jarsRecorded: { readonly jar: JarRef; readonly runsBefore: number }[];
  readonly logs: string[];
  /** What the deployer knows of runs and their jars (CleanUp). */
  readonly runJars: InMemoryJarCleanupStore;
  now(): number;
}

/** `secretEnv`: the FJC_SECRET_* variables the deployer's environment provider sees. */
export function fixture(opts: { attempt?: number; recordedSavepoint?: string; flink?: FakeFlink; jars?: JarSource; runJars?: InMemoryJarCleanupStore; secretEnv?: NodeJS.ProcessEnv; artifactPolicy?: ArtifactPolicy } = {}): Fixture {
  const flink = opts.flink ?? new FakeFlink();
  let now = Date.parse('2025-06-01T00:00:00Z');
  const sleep: Sleep = async (ms) => {
    now += ms;
  };
  const savepoints: SavepointReport[] = [];
  const jarsRecorded: Fixture['jarsRecorded'] = [];
  const logs: string[] = [];
  const runJars = opts.runJars ?? new InMemoryJarCleanupStore();
  const jars: JarSource = opts.jars ?? {
    ensureJar: async (_spec, _cluster, client, { reupload }) => {
      const cached = [...flink.jars][0];
      return { ok: true, jarId: cached !== undefined && !reupload ? cached : await client.uploadJar('/artifacts/orders.jar', 'orders.jar'), sha256: SHA };
    },
  };
  const ctx: CarryOutContext = {
    flink: withTransientRetry(flink, { attempts: 3, delayMs: 1 }),
    cluster: 'default',
    jars,
    runJars,
    secrets: new SecretResolver([new EnvSecretProvider(opts.secretEnv ?? {})], opts.artifactPolicy),
    attempt: opts.attempt ?? 1,
    recordedSavepoint: opts.recordedSavepoint,
    recordSavepoint: async (report) => void savepoints.push(report),
    recordJar: async (jar) => void jarsRecorded.push({ jar, runsBefore: flink.count('runJar') }),
    clock: { now: () => new Date(now) },
    sleep,
    pollMs: 500,
    savepointTimeoutMs: 60_000,
    terminalTimeoutMs: 30_000,
    log: (_fields, msg) => void logs.push(msg),
  };
  return { flink, ctx, savepoints, jarsRecorded, logs, runJars, now: () => now };
}
