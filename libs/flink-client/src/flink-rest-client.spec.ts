import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlinkRestClient } from './flink-rest-client';
import { FlinkProtocolError, FlinkUnavailableError } from './errors';

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

/** A stand-in Flink REST endpoint on a free local port, answering from a route table. */
async function fakeRest(routes: Record<string, { status: number; body: unknown }>): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    seen.push(key);
    const route = routes[key] ?? { status: 404, body: { errors: ['Not found: ' + key] } };
    res.writeHead(route.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('FlinkRestClient.deleteJar', () => {
  it('deletes a jar Flink has, and takes a jar it does not have (HTTP 400 "does not exist", or 404) as already gone', async () => {
    const rest = await fakeRest({
      'DELETE /jars/abc_job.jar': { status: 200, body: {} },
      'DELETE /jars/gone_job.jar': { status: 400, body: { errors: ['File gone_job.jar does not exist in /tmp/flink-web/flink-web-upload.'] } },
    });
    const client = new FlinkRestClient(rest.url);
    try {
      expect(await client.deleteJar('abc_job.jar')).toBe(true);
      expect(await client.deleteJar('gone_job.jar')).toBe(false);
      expect(await client.deleteJar('unknown_job.jar')).toBe(false);
      expect(rest.seen).toEqual(['DELETE /jars/abc_job.jar', 'DELETE /jars/gone_job.jar', 'DELETE /jars/unknown_job.jar']);
    } finally {
      await client.close();
      await rest.close();
    }
  });

  it('reports any other refusal as a protocol error, and a 5xx as Flink unavailable', async () => {
    const rest = await fakeRest({
      'DELETE /jars/odd.jar': { status: 400, body: { errors: ['Bad request'] } },
      'DELETE /jars/busy.jar': { status: 500, body: { errors: ['Failed to delete jar busy.jar.'] } },
    });
    const client = new FlinkRestClient(rest.url);
    try {
      await expect(client.deleteJar('odd.jar')).rejects.toBeInstanceOf(FlinkProtocolError);
      await expect(client.deleteJar('busy.jar')).rejects.toBeInstanceOf(FlinkUnavailableError);
    } finally {
      await client.close();
      await rest.close();
    }
  });
});

describe('FlinkRestClient.vertexBackpressure', () => {
  const J = 'a'.repeat(32);
  const path = (v: string) => `GET /jobs/${J}/vertices/${v}/backpressure`;

  it('reads the level under either of the names Flink 1.20 sends it, and null while Flink has no statistics', async () => {
    const rest = await fakeRest({
      [path('v1')]: { status: 200, body: { status: 'ok', 'backpressure-level': 'high', backpressureLevel: 'high', 'end-timestamp': 1, subtasks: [{ subtask: 0, 'backpressure-level': 'high', ratio: 0.9 }] } },
      [path('v2')]: { status: 200, body: { status: 'ok', backpressureLevel: 'low', subtasks: [] } },
      [path('v3')]: { status: 200, body: { status: 'ok', 'backpressure-level': 'ok' } },
      [path('v4')]: { status: 200, body: { status: 'deprecated' } },
    });
    const client = new FlinkRestClient(rest.url);
    try {
      expect(await client.vertexBackpressure(J, 'v1')).toBe('high');
      expect(await client.vertexBackpressure(J, 'v2')).toBe('low');
      expect(await client.vertexBackpressure(J, 'v3')).toBe('ok');
      expect(await client.vertexBackpressure(J, 'v4')).toBeNull();
      expect(await client.vertexBackpressure(J, 'unknown')).toBeNull();
    } finally {
      await client.close();
      await rest.close();
    }
  });

  it('refuses a level it does not know', async () => {
    const rest = await fakeRest({ [path('v1')]: { status: 200, body: { status: 'ok', backpressureLevel: 'extreme' } } });
    const client = new FlinkRestClient(rest.url);
    try {
      await expect(client.vertexBackpressure(J, 'v1')).rejects.toBeInstanceOf(FlinkProtocolError);
    } finally {
      await client.close();
      await rest.close();
    }
  });
});
