// The relay's readiness check (relay-health.ts): fails after a failed pass until one succeeds, and
// when no pass completed within the bound while events wait; a quiet relay with nothing to publish
// stays ready. Pure logic with a fake clock; the backlog query runs on PostgreSQL elsewhere.
import type { PassReport } from '../polling-loop';
import { RelayHealth } from './relay-health';

const pass = (ok: boolean, failures = ok ? 0 : 1): PassReport => ({ loop: 'relay', ok, durationMs: 1, more: false, failures });

function subject(backlog: boolean) {
  let now = 1_000_000;
  const health = new RelayHealth({ stallMs: 30_000, hasBacklog: async () => backlog, now: () => now });
  return { health, advance: (ms: number) => (now += ms) };
}

it('is ready after passes that worked', async () => {
  const { health } = subject(true);
  health.onPass(pass(true));
  await expect(health.check()).resolves.toBeUndefined();
});

it('fails after a failed pass, naming the failures, and recovers with the next pass that works', async () => {
  const { health } = subject(false);
  health.onPass(pass(false, 1));
  health.onPass(pass(false, 2));
  await expect(health.check()).rejects.toThrow(/relay failing: 2 pass\(es\) in a row .*FJC_RELAY_RETRY/);
  health.onPass(pass(true));
  await expect(health.check()).resolves.toBeUndefined();
});

it('fails when no pass completed within the bound while events wait', async () => {
  const { health, advance } = subject(true);
  health.onPass(pass(true));
  advance(29_000);
  await expect(health.check()).resolves.toBeUndefined();
  advance(2_000);
  await expect(health.check()).rejects.toThrow(/relay stalled: no pass completed for 31 s/);
  health.onPass(pass(true));
  await expect(health.check()).resolves.toBeUndefined();
});

it('stays ready when idle with nothing to publish', async () => {
  const { health, advance } = subject(false);
  advance(120_000);
  await expect(health.check()).resolves.toBeUndefined();
});
