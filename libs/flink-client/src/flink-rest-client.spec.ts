import { FlinkRestClient } from './flink-rest-client';
import { FlinkUnavailableError } from './errors';

describe('FlinkRestClient edges', () => {
  it('refuses a job id that is not 32 lowercase hex digits before calling Flink', async () => {
    const client = new FlinkRestClient('http://127.0.0.1:1');
    await expect(client.runJar('x.jar', { jobId: 'not-an-id', programArgsList: [] })).rejects.toThrow(/32 lowercase hex/);
    await client.close();
  });

  it('reports an unreachable cluster as a retryable FJC_FLINK_UNAVAILABLE', async () => {
    const client = new FlinkRestClient('http://127.0.0.1:1');
    const err = await client.overview().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkUnavailableError);
    expect((err as FlinkUnavailableError).code).toBe('FJC_FLINK_UNAVAILABLE');
    await client.close();
  });
});
