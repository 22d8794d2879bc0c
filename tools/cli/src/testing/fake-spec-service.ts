// Test support: a fake spec-service on a free port, answering each `METHOD /path?query` with a
// canned answer (or a function of the request), recording what it was sent; and the CLI run
// in-process against it. FJC_API_URL and FJC_TOKEN point the CLI at it for the test file.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { JobSummary, JobView } from '@fjc/contracts';
import { runCli } from '../program';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
/** A JSON answer, or (with `sse`) a server-sent-event body sent as it is, after which the connection ends. */
export type Answer = { status: number; body?: unknown; sse?: string };
export type Rule = Answer | ((seen: Seen) => Answer);

export interface FakeSpecService {
  /** Answers by `METHOD /path?query`; reset before each test. */
  answers: Record<string, Rule>;
  seen: Seen[];
}

/** Starts the fake before the file's tests and stops it after; clears answers and seen before each. */
export function fakeSpecService(): FakeSpecService {
  const fake: FakeSpecService = { answers: {}, seen: [] };
  let server: Server;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        fake.seen.push(request);
        const rule = fake.answers[`${request.method} ${request.url}`];
        const answer = typeof rule === 'function' ? rule(request) : (rule ?? { status: 404, body: { errors: [{ path: '', message: 'no such route', code: 'FJC_NOT_FOUND' }] } });
        if (answer.sse !== undefined) res.writeHead(answer.status, { 'content-type': 'text/event-stream' }).end(answer.sse);
        else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    process.env.FJC_API_URL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    process.env.FJC_TOKEN = 'fjc_test-token';
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    fake.answers = {};
    fake.seen = [];
  });
  return fake;
}

export async function fjc(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') };
}

/** Answers are typed by the contracts' response types: a fixture cannot drift from what the service sends. */
export const jobSummary = (jobId: string, extra: Partial<JobSummary> = {}): JobSummary => ({
  jobId,
  version: 3,
  jobType: 'stream',
  desiredState: 'running',
  deleted: false,
  namespace: 'default',
  cluster: 'default',
  labels: {},
  state: 'RUNNING',
  deployedVersion: 3,
  lastStableVersion: 2,
  desiredVersion: 3,
  flinkJobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  flinkVersion: '2.3.0',
  lastError: null,
  reason: 'deployed',
  alert: false,
  restarts: null,
  candidate: false,
  failedVersion: null,
  statusChangedAt: null,
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...extra,
});

export const SPEC = { job_id: 'orders', job_type: 'stream', artifact_path: 'jobs/orders.jar' };

/** A job view as GET /api/v1/jobs/{id} answers, with the given spec (as JSON, before parsing). */
export const jobView = (jobId: string, extra: Partial<JobSummary> = {}, spec: Record<string, unknown> = SPEC): JobView =>
  ({ ...jobSummary(jobId, extra), specHash: 'sha256:00', spec, createdAt: '2025-01-01T00:00:00.000Z' }) as unknown as JobView;
