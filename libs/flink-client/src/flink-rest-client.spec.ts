import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlinkRestClient, flinkDurationMs } from './flink-rest-client';
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

describe('Flink 1.20 and 2.x differences', () => {
  const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const TRACE = 'org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: java.lang.IllegalStateException: boom\n';

  it('reads the failure from root-exception on 1.20 and from the newest history entry on 2.x (which has no root-exception)', async () => {
    const rest = await fakeRest({
      // 1.20: both, root-exception first
      [`GET /jobs/${JOB}/exceptions`]: { status: 200, body: { 'root-exception': TRACE, timestamp: 1, 'all-exceptions': [], truncated: false, exceptionHistory: { entries: [{ exceptionName: 'x', stacktrace: 'older wording' }], truncated: false } } },
      // 2.x: the history only, newest first
      [`GET /jobs/${'b'.repeat(32)}/exceptions`]: { status: 200, body: { exceptionHistory: { entries: [{ exceptionName: 'org.apache.flink.runtime.JobException', stacktrace: TRACE }, { exceptionName: 'y', stacktrace: 'an earlier failure' }], truncated: false } } },
      [`GET /jobs/${'c'.repeat(32)}/exceptions`]: { status: 200, body: { exceptionHistory: { entries: [], truncated: false } } },
    });
    const client = new FlinkRestClient(rest.url);
    try {
      expect(await client.rootException(JOB)).toBe(TRACE);
      expect(await client.rootException('b'.repeat(32))).toBe(TRACE);
      expect(await client.rootException('c'.repeat(32))).toBeNull();
      expect(await client.rootException('d'.repeat(32))).toBeNull(); // unknown job: 404
    } finally {
      await client.close();
      await rest.close();
    }
  });

  it.each([
    [{ 'refresh-interval': 5000 }, [], 5000],
    [{}, [], 3000],
    [{ 'refresh-interval': 3000 }, [{ key: 'rest.cache.checkpoint-statistics.timeout', value: '10 s' }], 10_000],
    [{ 'refresh-interval': 3000 }, [{ key: 'rest.cache.checkpoint-statistics.timeout', value: 'soon' }], 60_000],
  ])('takes the checkpoint statistics cache time from /config %j and /jobmanager/config %j: %d ms', async (config, options, expected) => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/config' ? { 'flink-version': '1.20.5', ...config } : options));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new FlinkRestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      expect(await client.checkpointStatsMaxAgeMs()).toBe(expected);
      expect(await client.checkpointStatsMaxAgeMs()).toBe(expected);
      expect(paths.sort()).toEqual(['/config', '/jobmanager/config']);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['3 s', 3000],
    ['500ms', 500],
    ['1 min', 60_000],
    ['2h', 7_200_000],
    ['4000', 4000],
    ['10 seconds', 10_000],
    ['ten', undefined],
    ['3 fortnights', undefined],
  ])('reads the Flink duration %j as %s ms', (text, ms) => {
    expect(flinkDurationMs(text)).toBe(ms);
  });

  it('reads the version from GET /config once, and asks again only after a failed read', async () => {
    let answers = 0;
    const server = createServer((_req, res) => {
      answers++;
      if (answers === 1) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ 'refresh-interval': 3000, 'flink-version': '2.3.0', 'flink-revision': 'c0f8d1a' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new FlinkRestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      await expect(client.flinkVersion()).rejects.toBeInstanceOf(FlinkUnavailableError);
      expect(await client.flinkVersion()).toBe('2.3.0');
      expect(await client.flinkVersion()).toBe('2.3.0');
      expect(answers).toBe(2);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends the configured Authorization header with every call, uploads included, and names the cluster in its errors', async () => {
    const headers: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      headers.push(req.headers.authorization);
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url === '/jars/upload' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/jars/upload' ? { filename: '/tmp/x_a.jar', status: 'success' } : { errors: ['busy'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new FlinkRestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { cluster: 'analytics', authorization: 'Bearer t0ken' });
    try {
      expect(await client.uploadJar(__filename, 'a.jar')).toBe('x_a.jar');
      await expect(client.overview()).rejects.toBeInstanceOf(FlinkUnavailableError);
      expect(headers).toEqual(['Bearer t0ken', 'Bearer t0ken']);
      const unreachable = new FlinkRestClient('http://127.0.0.1:1', { cluster: 'analytics' });
      await expect(unreachable.overview()).rejects.toThrow('Flink cluster "analytics" at http://127.0.0.1:1 is unreachable');
      await unreachable.close();
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends a run request only in the JSON fields both lines take (no query parameters, no restoreMode)', async () => {
    let seen: { url?: string; body?: Record<string, unknown> } = {};
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        seen = { url: req.url, body: JSON.parse(text) as Record<string, unknown> };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jobid: JOB }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new FlinkRestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      await client.runJar('x_job.jar', { jobId: JOB, entryClass: 'a.B', programArgsList: ['--mode', 'stream'], parallelism: 2, savepointPath: 'file:/sp', flinkConfiguration: { 'execution.checkpointing.interval': '10000 ms' } });
      expect(seen.url).toBe('/jars/x_job.jar/run');
      expect(Object.keys(seen.body ?? {}).sort()).toEqual(['allowNonRestoredState', 'claimMode', 'entryClass', 'flinkConfiguration', 'jobId', 'parallelism', 'programArgsList', 'savepointPath']);
      expect(seen.body).toMatchObject({ claimMode: 'NO_CLAIM', programArgsList: ['--mode', 'stream'] });
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('observation details and savepoint disposal (answers as Flink 2.3 sent them)', () => {
  const JOB = '6176550497265f4744c97a02b9a9742e';

  it('reads the exception history with time, task and TaskManager (endpoint on 2.x, location on 1.20), newest first', async () => {
    const entry = {
      exceptionName: 'java.lang.IllegalStateException',
      stacktrace: 'java.lang.IllegalStateException: boom\n\tat dev.fjc.testjob.TestJob$Counter.processElement(TestJob.java:267)',
      timestamp: 1795881243838,
      failureLabels: {},
      taskName: 'counter -> sink: Writer (1/1) - execution #1',
      endpoint: 'localhost:12121',
      taskManagerId: '127.0.0.1:12122-eb1d06',
      concurrentExceptions: [],
    };
    const older = { exceptionName: 'java.lang.IllegalStateException', stacktrace: 'java.lang.IllegalStateException: boom', timestamp: 1795881239492, taskName: 'counter (1/1)', location: 'localhost:6121' };
    const rest = await fakeRest({ [`GET /jobs/${JOB}/exceptions`]: { status: 200, body: { exceptionHistory: { entries: [entry, older], truncated: false } } } });
    const client = new FlinkRestClient(rest.url);
    expect(await client.exceptionHistory(JOB)).toEqual([
      { exceptionName: entry.exceptionName, stacktrace: entry.stacktrace, timestamp: entry.timestamp, taskName: entry.taskName, location: 'localhost:12121' },
      { exceptionName: older.exceptionName, stacktrace: older.stacktrace, timestamp: older.timestamp, taskName: older.taskName, location: 'localhost:6121' },
    ]);
    expect(await client.exceptionHistory('0'.repeat(32))).toBeNull();
    await client.close();
    await rest.close();
  });

  it('reads numRestarts from the job metrics, and checkpoint counts from GET /jobs/:id/checkpoints', async () => {
    const rest = await fakeRest({
      [`GET /jobs/${JOB}/metrics?get=numRestarts`]: { status: 200, body: [{ id: 'numRestarts', value: '4' }] },
      [`GET /jobs/${JOB}/checkpoints`]: { status: 200, body: { counts: { restored: 1, total: 8, in_progress: 0, completed: 5, failed: 3 }, latest: { completed: null, savepoint: null, restored: null } } },
    });
    const client = new FlinkRestClient(rest.url);
    expect(await client.jobMetrics(JOB, ['numRestarts'])).toEqual({ numRestarts: 4 });
    expect(await client.checkpoints(JOB)).toEqual({ counts: { completed: 5, failed: 3, inProgress: 0 } });
    await client.close();
    await rest.close();
  });

  it('disposes of a savepoint: COMPLETED with an empty operation is done; a FileNotFoundException is "gone"; an unknown trigger is UNKNOWN', async () => {
    const notFound = 'org.apache.flink.util.FlinkException: Could not dispose savepoint file:/sp/savepoint-1.\n\tat x\nCaused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory \'file:/sp/savepoint-1\' on file system \'file\'.';
    const rest = await fakeRest({
      'POST /savepoint-disposal': { status: 200, body: { 'request-id': '45aa3a2c19939f20599ac231ad27436b' } },
      'GET /savepoint-disposal/45aa3a2c19939f20599ac231ad27436b': { status: 200, body: { status: { id: 'COMPLETED' }, operation: {} } },
      'GET /savepoint-disposal/a240516d2c33599bc0cbf6ded178a4f2': { status: 200, body: { status: { id: 'COMPLETED' }, operation: { 'failure-cause': { class: 'org.apache.flink.util.FlinkException', 'stack-trace': notFound } } } },
      'GET /savepoint-disposal/11111111111111111111111111111111': { status: 200, body: { status: { id: 'IN_PROGRESS' }, operation: null } },
    });
    const client = new FlinkRestClient(rest.url);
    expect(await client.disposeSavepoint('file:/sp/savepoint-1')).toBe('45aa3a2c19939f20599ac231ad27436b');
    expect(await client.savepointDisposalStatus('45aa3a2c19939f20599ac231ad27436b')).toEqual({ status: 'COMPLETED' });
    expect(await client.savepointDisposalStatus('a240516d2c33599bc0cbf6ded178a4f2')).toMatchObject({ status: 'FAILED', gone: true });
    expect(await client.savepointDisposalStatus('11111111111111111111111111111111')).toEqual({ status: 'IN_PROGRESS' });
    expect(await client.savepointDisposalStatus('22222222222222222222222222222222')).toEqual({ status: 'UNKNOWN' });
    await client.close();
    await rest.close();
  });
});
