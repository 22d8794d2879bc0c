import { FlinkProtocolError } from '@fjc/flink-client';
import { FakeFlink } from '../testing/fake-flink';
import { withTransientRetry } from './transient-retry';

describe('withTransientRetry (cockatiel)', () => {
  const opts = { attempts: 3, delayMs: 1, maxDelayMs: 5 };

  it('retries an unreachable Flink a bounded number of times, then gives up with its error', async () => {
    const flink = new FakeFlink().unavailable('job');
    const retries: number[] = [];
    const client = withTransientRetry(flink, { ...opts, onRetry: (r) => retries.push(r.attempt) });
    await expect(client.job('a'.repeat(32))).rejects.toThrow(/unreachable/);
    expect(flink.count('job')).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('succeeds when Flink answers within the tries', async () => {
    const flink = new FakeFlink().withJob('b'.repeat(32)).unavailable('job', 2);
    await expect(withTransientRetry(flink, opts).job('b'.repeat(32))).resolves.toMatchObject({ state: 'RUNNING' });
    expect(flink.count('job')).toBe(3);
  });

  it('never retries an answer (a protocol error is one)', async () => {
    const flink = new FakeFlink();
    flink.cancel = async () => {
      flink.calls.push('cancel');
      throw new FlinkProtocolError('HTTP 409');
    };
    await expect(withTransientRetry(flink, opts).cancel('c'.repeat(32))).rejects.toBeInstanceOf(FlinkProtocolError);
    expect(flink.count('cancel')).toBe(1);
  });

  it('never retries a refused TLS handshake (an untrusted certificate stays untrusted)', async () => {
    const flink = new FakeFlink().untrustedCertificate();
    await expect(withTransientRetry(flink, opts).uploadJar('/jars/x.jar', 'x.jar')).rejects.toMatchObject({ code: 'FJC_FLINK_TLS_UNTRUSTED' });
    await expect(withTransientRetry(flink, opts).job('d'.repeat(32))).rejects.toMatchObject({ code: 'FJC_FLINK_TLS_UNTRUSTED' });
    expect(flink.calls).toHaveLength(2);
  });

  it('does not upload a jar twice when the answer to the first upload was lost: the retry finds it in the jar list', async () => {
    const flink = new FakeFlink().loseUploadAnswers(1);
    const jarId = await withTransientRetry(flink, opts).uploadJar('/artifacts/orders.jar', 'fjc-abc.jar');
    expect(flink.count('uploadJar')).toBe(1);
    expect(flink.count('listJarFiles')).toBe(1);
    expect([...flink.jars]).toEqual([jarId]);
  });

  it('uploads again when the lost upload never reached Flink', async () => {
    const flink = new FakeFlink().unavailable('uploadJar', 1);
    const jarId = await withTransientRetry(flink, opts).uploadJar('/artifacts/orders.jar', 'fjc-abc.jar');
    expect(flink.count('uploadJar')).toBe(2);
    expect([...flink.jars]).toEqual([jarId]);
  });
});
