import { BrokenCircuitError } from 'cockatiel';
import { FakeFlink } from '../testing/fake-flink';
import { ClusterBreaker, type BreakerState } from './cluster-breaker';

describe('ClusterBreaker', () => {
  const JOB = 'd'.repeat(32);

  it('opens after the threshold of unreachable calls, then calls nothing until the half-open time', async () => {
    let now = 1_000;
    const changes: BreakerState[] = [];
    const flink = new FakeFlink().withJob(JOB).unavailable('job');
    const breaker = new ClusterBreaker({ threshold: 3, halfOpenAfterMs: 10_000, now: () => now, onStateChange: (s) => changes.push(s) });
    const client = breaker.wrap(flink);
    for (let i = 0; i < 3; i++) await expect(client.job(JOB)).rejects.toThrow(/unreachable/);
    expect(breaker.state).toBe('open');
    expect(breaker.blockedUntil()).toBe(11_000);
    for (let i = 0; i < 20; i++) await expect(client.job(JOB)).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(flink.count('job')).toBe(3); // twenty calls while open cost Flink nothing
    now = 11_001;
    expect(breaker.blockedUntil()).toBeNull();
    expect(changes).toEqual(['open']);
  });

  it('counts refused TLS handshakes (a wrong CA) like an outage, so an untrusted cluster costs a bounded number of calls', async () => {
    const flink = new FakeFlink().untrustedCertificate();
    const breaker = new ClusterBreaker({ threshold: 3, halfOpenAfterMs: 10_000 });
    const client = breaker.wrap(flink);
    for (let i = 0; i < 3; i++) await expect(client.job(JOB)).rejects.toMatchObject({ code: 'FJC_FLINK_TLS_UNTRUSTED' });
    for (let i = 0; i < 20; i++) await expect(client.listJarFiles()).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(breaker.state).toBe('open');
    expect(flink.calls).toHaveLength(3);
  });

  it('does not count answers (a missing job) as failures', async () => {
    const flink = new FakeFlink();
    const breaker = new ClusterBreaker({ threshold: 2, halfOpenAfterMs: 10_000 });
    const client = breaker.wrap(flink);
    for (let i = 0; i < 5; i++) await expect(client.job(JOB)).resolves.toBeNull();
    expect(breaker.state).toBe('closed');
  });

  it('closes again after a trial call succeeds', async () => {
    const flink = new FakeFlink().withJob(JOB).unavailable('job', 2);
    const breaker = new ClusterBreaker({ threshold: 2, halfOpenAfterMs: 1 });
    const client = breaker.wrap(flink);
    await expect(client.job(JOB)).rejects.toThrow();
    await expect(client.job(JOB)).rejects.toThrow();
    expect(breaker.state).toBe('open');
    await new Promise((r) => setTimeout(r, 5));
    await expect(client.job(JOB)).resolves.toMatchObject({ state: 'RUNNING' });
    expect(breaker.state).toBe('closed');
  });

  it('keeps clusters apart: one open breaker leaves another cluster alone', async () => {
    const down = new FakeFlink().unavailable('job');
    const up = new FakeFlink().withJob(JOB);
    const a = new ClusterBreaker({ threshold: 1, halfOpenAfterMs: 60_000 });
    const b = new ClusterBreaker({ threshold: 1, halfOpenAfterMs: 60_000 });
    await expect(a.wrap(down).job(JOB)).rejects.toThrow();
    expect(a.state).toBe('open');
    await expect(b.wrap(up).job(JOB)).resolves.toMatchObject({ state: 'RUNNING' });
    expect(b.state).toBe('closed');
  });
});
