// The Flink REST client: every call FJC makes to a Flink session cluster, on undici, with
// every response parsed by zod. Job ids and savepoint trigger ids always come from the caller,
// so a retried call is recognisable by Flink (duplicate job id) or harmless (same trigger id).
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Agent, FormData, request } from 'undici';
import type { z } from 'zod';
import { FlinkProgramError, FlinkProtocolError, FlinkTlsError, FlinkUnavailableError, readFlinkError, tlsFailureOf } from './errors';
import {
  ClusterConfig, ClusterOverview, ErrorResponse, JobManagerConfig, JarListResponse, JarRunResponse, JarUploadResponse, JobDetails, JobExceptions,
  JobCheckpoints, JobMetricValues, JobsOverview, JobVertexBackpressure, MetricValues, SavepointDisposalStatusResponse, SavepointStatusResponse, TriggerResponse,
  type BackpressureLevel, type ExceptionHistoryEntry, type JobSummary,
} from './schemas';

export interface RunJarRequest {
  readonly jobId: string;
  readonly entryClass?: string;
  readonly programArgsList: readonly string[];
  readonly parallelism?: number;
  readonly savepointPath?: string;
  readonly allowNonRestoredState?: boolean;
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
}

export type RunJarResult =
  | { readonly ok: true; readonly jobId: string }
  | { readonly ok: false; readonly code: 'FLINK_DUPLICATE_JOB_ID' | 'FLINK_JAR_NOT_FOUND' | 'FLINK_SUBMISSION_FAILED'; readonly message: string };

export type SavepointStatus =
  | { readonly status: 'IN_PROGRESS' }
  | { readonly status: 'COMPLETED'; readonly location: string }
  | { readonly status: 'FAILED'; readonly message: string }
  | { readonly status: 'UNKNOWN' };

/** A checkpoint or savepoint as GET /jobs/:id/checkpoints reports it. */
export interface CheckpointRef {
  readonly id: number;
  /** Where it is stored; absent for a checkpoint that is not retained (externalized). */
  readonly externalPath?: string;
  /** When it completed (its last acknowledgement), epoch millis; absent when Flink does not say. */
  readonly completedAt?: number;
}

export interface CheckpointCounts {
  readonly completed: number;
  readonly failed: number;
  readonly inProgress: number;
}

export interface CheckpointSummary {
  /** How many checkpoints of this run completed, failed and are under way (`counts`). */
  readonly counts?: CheckpointCounts;
  readonly latestCompleted?: CheckpointRef;
  readonly latestSavepoint?: CheckpointRef;
  /** What this run was restored from, if anything. */
  readonly restored?: CheckpointRef;
}

/** One exception of a job's history, as Flink recorded it. */
export interface JobExceptionEntry {
  /** The exception class of the failure (the outermost one). */
  readonly exceptionName: string;
  /** The whole stack trace, causes included. */
  readonly stacktrace: string;
  /** When Flink recorded it, epoch millis. */
  readonly timestamp: number;
  readonly taskName?: string;
  /** The TaskManager the failing task ran on (host:port). */
  readonly location?: string;
}

export type SavepointDisposalStatus =
  | { readonly status: 'IN_PROGRESS' }
  | { readonly status: 'COMPLETED' }
  /** `gone`: Flink found nothing at the path (already disposed or never there). */
  | { readonly status: 'FAILED'; readonly message: string; readonly gone: boolean }
  | { readonly status: 'UNKNOWN' };

/** TLS material of one cluster (PEM text or bytes): the CA its certificate is checked against
 *  (default: Node's public roots) and FJC's client certificate and key for mutual TLS. */
export interface FlinkTlsOptions {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

export interface FlinkClientOptions {
  readonly timeoutMs?: number;
  /** The cluster's name, for errors ("cluster analytics"). */
  readonly cluster?: string;
  readonly tls?: FlinkTlsOptions;
  /** The Authorization header value sent with every call (a proxy in front of Flink); never logged. */
  readonly authorization?: string;
}

const JOB_ID = /^[0-9a-f]{32}$/;

/**
 * Where the Flink REST API of the two supported lines differs, and how this client bridges it
 * (each with a test in flink-rest-client.spec.ts; the same calls run against both lines in
 * test/stack/flink.int.spec.ts):
 * - GET /jobs/:id/exceptions: `root-exception` (the failure's stack trace with its causes) exists
 *   up to 1.20 and was removed in 2.0; the newest `exceptionHistory.entries[0].stacktrace`
 *   carries the same text in both, and is read when `root-exception` is absent.
 * - POST /jars/:id/run: the query-parameter forms (`programArg`, `entry-class`...) and
 *   `restoreMode` were removed in 2.0. This client only ever sends the JSON body fields both
 *   lines take: `programArgsList`, `entryClass`, `parallelism`, `jobId`, `savepointPath`,
 *   `allowNonRestoredState`, `claimMode` and `flinkConfiguration`.
 * Which line a cluster runs is read from it (GET /config, `flink-version`), never configured.
 */
export class FlinkRestClient {
  private readonly dispatcher: Agent;
  private version: Promise<string> | null = null;
  private statsMaxAge: Promise<number> | null = null;
  private readonly authorization: string | undefined;
  private readonly where: string;

  constructor(readonly baseUrl: string, options: FlinkClientOptions = {}) {
    const timeout = options.timeoutMs ?? 30_000;
    const { ca, cert, key } = options.tls ?? {};
    // undici hands these to tls.connect: the handshake, verification and SNI are Node's.
    this.dispatcher = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout: 5_000, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) } });
    this.authorization = options.authorization;
    this.where = options.cluster === undefined ? `Flink at ${baseUrl}` : `Flink cluster "${options.cluster}" at ${baseUrl}`;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  overview(): Promise<ClusterOverview> {
    return this.getJson('/overview', ClusterOverview);
  }

  /**
   * The Flink version the cluster runs (GET /config, `flink-version`). Read once and kept for the
   * client's life; a failed read is not kept, so the next call asks again.
   */
  flinkVersion(): Promise<string> {
    this.version ??= this.getJson('/config', ClusterConfig).then(
      (c) => c['flink-version'],
      (err: unknown) => {
        this.version = null;
        throw err;
      },
    );
    return this.version;
  }

  /**
   * How stale an answer of GET /jobs/:id/checkpoints may be, in ms. Flink's REST handlers cache a
   * job's checkpoint statistics for `rest.cache.checkpoint-statistics.timeout` when it is set,
   * else for `web.refresh-interval` (GET /config's `refresh-interval`, 3 s by default): an answer
   * read within that time of an earlier one can name a checkpoint that a newer one has since
   * subsumed and deleted. Read once and kept; a failed read is not kept.
   */
  checkpointStatsMaxAgeMs(): Promise<number> {
    this.statsMaxAge ??= Promise.all([this.getJson('/config', ClusterConfig), this.getJson('/jobmanager/config', JobManagerConfig)]).then(
      ([config, options]) => {
        const refresh = config['refresh-interval'] ?? DEFAULT_REFRESH_INTERVAL_MS;
        const set = options.find((o) => o.key === 'rest.cache.checkpoint-statistics.timeout')?.value;
        // Flink refuses to start with a value it cannot parse; one this client cannot is taken as a minute.
        return set === undefined ? refresh : (flinkDurationMs(set) ?? 60_000);
      },
      (err: unknown) => {
        this.statsMaxAge = null;
        throw err;
      },
    );
    return this.statsMaxAge;
  }

  /**
   * Uploads a jar; returns Flink's jar id (the basename of the stored file). `name` is the file
   * name Flink stores and lists it under (default: the file's own name): a name that says what
   * the jar is (its digest) lets a caller find an upload whose answer it never got.
   */
  async uploadJar(path: string, name = basename(path)): Promise<string> {
    const form = new FormData();
    form.set('jarfile', await openAsBlob(path, { type: 'application/x-java-archive' }), name);
    const res = await this.call('POST', '/jars/upload', { body: form });
    const parsed = this.parse(res.body, JarUploadResponse, 'POST /jars/upload', res.status);
    return basename(parsed.filename);
  }

  async listJars(): Promise<string[]> {
    return (await this.listJarFiles()).map((f) => f.id);
  }

  /** The uploaded jars: Flink's id and the file name each was uploaded under. */
  async listJarFiles(): Promise<Array<{ id: string; name: string }>> {
    return (await this.getJson('/jars', JarListResponse)).files.map((f) => ({ id: f.id, name: f.name }));
  }

  /**
   * Deletes an uploaded jar; true when Flink deleted it, false when it had no such jar (already
   * deleted, or forgotten by a restarted JobManager). Flink answers an unknown jar id with
   * HTTP 400 "File ... does not exist", not 404.
   */
  async deleteJar(jarId: string): Promise<boolean> {
    const res = await this.call('DELETE', `/jars/${encodeURIComponent(jarId)}`, { accept: [200, 400, 404] });
    if (res.status === 200) return true;
    const message = errorText(res.body);
    if (res.status === 404 || /does not exist|could not find/i.test(message)) return false;
    throw new FlinkProtocolError(`Flink answered DELETE /jars/${jarId} with HTTP ${res.status}: ${firstLine(message)}`);
  }

  async runJar(jarId: string, req: RunJarRequest): Promise<RunJarResult> {
    if (!JOB_ID.test(req.jobId)) throw new Error(`jobId must be 32 lowercase hex digits, got "${req.jobId}"`);
    const res = await this.call('POST', `/jars/${encodeURIComponent(jarId)}/run`, {
      json: {
        jobId: req.jobId,
        entryClass: req.entryClass,
        programArgsList: req.programArgsList,
        parallelism: req.parallelism,
        savepointPath: req.savepointPath,
        allowNonRestoredState: req.allowNonRestoredState ?? false,
        claimMode: req.savepointPath ? 'NO_CLAIM' : undefined,
        flinkConfiguration: req.flinkConfiguration,
      },
      accept: [200, 400, 404, 500],
    });
    if (res.status === 200) return { ok: true, jobId: this.parse(res.body, JarRunResponse, 'run', 200).jobid };
    // Every entry of Flink's errors array: the first is often just "Internal server error.".
    const reading = readFlinkError(res.status, res.body);
    switch (reading.kind) {
      case 'duplicate-job':
        return { ok: false, code: 'FLINK_DUPLICATE_JOB_ID', message: reading.message };
      case 'jar-not-found':
        return { ok: false, code: 'FLINK_JAR_NOT_FOUND', message: reading.message };
      case 'program':
        throw new FlinkProgramError(reading.message);
      case 'transient':
        throw new FlinkUnavailableError(`Flink could not run jar ${jarId} now: ${reading.message}`);
      case 'unclassified':
        return { ok: false, code: 'FLINK_SUBMISSION_FAILED', message: `Flink refused to run jar ${jarId} (HTTP ${res.status}): ${reading.lines.join(' | ').slice(0, 1500)}` };
    }
  }

  async listJobs(): Promise<JobSummary[]> {
    return (await this.getJson('/jobs/overview', JobsOverview)).jobs;
  }

  /** The job, or null when this cluster does not know it (never submitted, or expired). */
  async job(jobId: string): Promise<JobDetails | null> {
    const res = await this.call('GET', `/jobs/${jobId}`, { accept: [200, 404] });
    return res.status === 404 ? null : this.parse(res.body, JobDetails, `GET /jobs/${jobId}`, res.status);
  }

  /** Stop with a savepoint under a caller-chosen trigger id; re-sending the same id is safe. */
  async stopWithSavepoint(jobId: string, opts: { triggerId: string; targetDirectory?: string; drain?: boolean }): Promise<string> {
    const res = await this.call('POST', `/jobs/${jobId}/stop`, {
      json: { triggerId: opts.triggerId, targetDirectory: opts.targetDirectory, drain: opts.drain ?? false },
      accept: [200, 202],
    });
    return this.parse(res.body, TriggerResponse, 'stop', res.status)['request-id'];
  }

  async triggerSavepoint(jobId: string, opts: { triggerId: string; targetDirectory?: string; cancelJob?: boolean }): Promise<string> {
    const res = await this.call('POST', `/jobs/${jobId}/savepoints`, {
      json: { triggerId: opts.triggerId, 'target-directory': opts.targetDirectory, 'cancel-job': opts.cancelJob ?? false },
      accept: [200, 202],
    });
    return this.parse(res.body, TriggerResponse, 'savepoint', res.status)['request-id'];
  }

  async savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus> {
    const res = await this.call('GET', `/jobs/${jobId}/savepoints/${triggerId}`, { accept: [200, 404] });
    if (res.status === 404) return { status: 'UNKNOWN' };
    const body = this.parse(res.body, SavepointStatusResponse, 'savepoint status', res.status);
    if (body.status.id === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
    // Flink reports a failed savepoint as COMPLETED with a failure cause instead of a location.
    const location = body.operation?.location;
    if (location) return { status: 'COMPLETED', location };
    const cause = body.operation?.['failure-cause'];
    return { status: 'FAILED', message: firstLine(cause?.['stack-trace'] ?? cause?.class ?? 'savepoint failed without a cause') };
  }

  /** Cancels the job; true when Flink accepted, false when it does not know the job. */
  async cancel(jobId: string): Promise<boolean> {
    const res = await this.call('PATCH', `/jobs/${jobId}?mode=cancel`, { accept: [202, 404] });
    return res.status === 202;
  }

  /** The job's latest completed checkpoint and savepoint and its restore source; null when the job is unknown. */
  async checkpoints(jobId: string): Promise<CheckpointSummary | null> {
    const res = await this.call('GET', `/jobs/${jobId}/checkpoints`, { accept: [200, 404] });
    if (res.status === 404) return null;
    const { latest, counts } = this.parse(res.body, JobCheckpoints, 'checkpoints', res.status);
    return {
      ...(counts ? { counts: { completed: counts.completed, failed: counts.failed, inProgress: counts.in_progress } } : {}),
      ...(latest.completed ? { latestCompleted: checkpointRef(latest.completed) } : {}),
      ...(latest.savepoint ? { latestSavepoint: checkpointRef(latest.savepoint) } : {}),
      ...(latest.restored ? { restored: checkpointRef(latest.restored) } : {}),
    };
  }

  /** The stack trace (with its causes) of the job's latest failure; null when it has none or is unknown. */
  async rootException(jobId: string): Promise<string | null> {
    const res = await this.call('GET', `/jobs/${jobId}/exceptions`, { accept: [200, 404] });
    if (res.status === 404) return null;
    const body = this.parse(res.body, JobExceptions, 'exceptions', res.status);
    // Flink 1.x: root-exception; 2.x: only the history, newest entry first.
    return body['root-exception'] || body.exceptionHistory?.entries[0]?.stacktrace || null;
  }

  /**
   * The job's exception history, newest first; null when the job is unknown. Entries without a
   * timestamp or exception name (none seen on 1.20 or 2.3) are left out.
   */
  async exceptionHistory(jobId: string): Promise<JobExceptionEntry[] | null> {
    const res = await this.call('GET', `/jobs/${jobId}/exceptions`, { accept: [200, 404] });
    if (res.status === 404) return null;
    const body = this.parse(res.body, JobExceptions, 'exceptions', res.status);
    return (body.exceptionHistory?.entries ?? []).flatMap(exceptionEntry);
  }

  /**
   * Job-level metrics (GET /jobs/:id/metrics?get=...), such as `numRestarts`: the names Flink
   * reported, as numbers; empty until the JobManager has them, null when the job is unknown.
   */
  async jobMetrics(jobId: string, names: readonly string[]): Promise<Record<string, number> | null> {
    const res = await this.call('GET', `/jobs/${jobId}/metrics?get=${names.map(encodeURIComponent).join(',')}`, { accept: [200, 404] });
    if (res.status === 404) return null;
    const values = this.parse(res.body, JobMetricValues, 'job metrics', res.status);
    return Object.fromEntries(values.map((v) => [v.id, Number(v.value)] as const).filter(([, n]) => Number.isFinite(n)));
  }

  /**
   * Asks Flink to dispose of a savepoint (POST /savepoint-disposal); returns Flink's trigger id to
   * poll. Flink chooses that id (the request takes none), so a retry simply asks again: disposing
   * of a savepoint already gone ends FAILED with `gone`.
   */
  async disposeSavepoint(path: string): Promise<string> {
    const res = await this.call('POST', '/savepoint-disposal', { json: { 'savepoint-path': path }, accept: [200, 202] });
    return this.parse(res.body, TriggerResponse, 'savepoint disposal', res.status)['request-id'];
  }

  async savepointDisposalStatus(triggerId: string): Promise<SavepointDisposalStatus> {
    const res = await this.call('GET', `/savepoint-disposal/${triggerId}`, { accept: [200, 404] });
    if (res.status === 404) return { status: 'UNKNOWN' };
    const body = this.parse(res.body, SavepointDisposalStatusResponse, 'savepoint disposal status', res.status);
    if (body.status.id === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
    const cause = body.operation?.['failure-cause'];
    if (cause === undefined) return { status: 'COMPLETED' };
    const trace = cause['stack-trace'] ?? cause.class ?? 'disposal failed without a cause';
    return { status: 'FAILED', message: firstLine(trace), gone: isNothingThere(trace) };
  }

  /**
   * The back-pressure level of one job vertex; null while Flink has no statistics for it (status
   * "deprecated") or does not know the job or vertex.
   */
  async vertexBackpressure(jobId: string, vertexId: string): Promise<BackpressureLevel | null> {
    const path = `/jobs/${jobId}/vertices/${vertexId}/backpressure`;
    const res = await this.call('GET', path, { accept: [200, 404] });
    if (res.status === 404) return null;
    const info = this.parse(res.body, JobVertexBackpressure, `GET ${path}`, res.status);
    if (info.status !== 'ok') return null;
    return info.backpressureLevel ?? info['backpressure-level'] ?? null;
  }

  /** Sum over all subtasks of an operator metric of one job vertex; null until reported. */
  async vertexMetricSum(jobId: string, vertexId: string, metric: string): Promise<number | null> {
    const values = await this.getJson(`/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${encodeURIComponent(metric)}&agg=sum`, MetricValues);
    return values.find((v) => v.id === metric)?.sum ?? null;
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    const res = await this.call('GET', path, {});
    return this.parse(res.body, schema, `GET ${path}`, res.status);
  }

  private parse<S extends z.ZodType>(body: unknown, schema: S, what: string, status: number): z.infer<S> {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new FlinkProtocolError(`unexpected Flink response to ${what} (HTTP ${status}): ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return result.data;
  }

  private async call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    opts: { json?: unknown; body?: FormData; accept?: number[] },
  ): Promise<{ status: number; body: unknown }> {
    const accept = opts.accept ?? [200];
    let res;
    try {
      res = await request(new URL(path, this.baseUrl), {
        method,
        dispatcher: this.dispatcher,
        headers: {
          ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.authorization !== undefined ? { authorization: this.authorization } : {}),
        },
        body: opts.json !== undefined ? JSON.stringify(opts.json, dropUndefined) : opts.body,
      });
    } catch (err) {
      const tls = tlsFailureOf(err);
      if (tls) throw new FlinkTlsError(`TLS with ${this.where} failed (${method} ${path}): ${tls.reason} [${tls.tlsCode}]`, tls.tlsCode, err);
      throw new FlinkUnavailableError(`${this.where} is unreachable (${method} ${path}): ${String(err)}`, err);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw new FlinkUnavailableError(`${this.where} broke off its answer (${method} ${path}): ${String(err)}`, err);
    }
    let body: unknown = text;
    try {
      body = text.length > 0 ? JSON.parse(text) : {};
    } catch {
      // keep the text: error pages are not always JSON; a success that is not JSON is not Flink's
      if (res.statusCode >= 200 && res.statusCode < 300) {
        throw new FlinkUnavailableError(`${this.where} sent an unreadable answer to ${method} ${path} (HTTP ${res.statusCode}, ${text.length} bytes)`);
      }
    }
    if (!accept.includes(res.statusCode)) {
      const detail = firstLine(readFlinkError(res.statusCode, body).message);
      if (res.statusCode >= 500 || res.statusCode === 429) {
        throw new FlinkUnavailableError(`Flink answered ${method} ${path} with HTTP ${res.statusCode}: ${detail}`);
      }
      throw new FlinkProtocolError(`Flink answered ${method} ${path} with HTTP ${res.statusCode}: ${detail}`);
    }
    return { status: res.statusCode, body };
  }
}

/** Flink's default `web.refresh-interval`, for a cluster whose GET /config does not say. */
const DEFAULT_REFRESH_INTERVAL_MS = 3000;

const FLINK_DURATION_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(ms|milli|millis|millisecond|milliseconds)$/, 1],
  [/^(s|sec|secs|second|seconds)$/, 1000],
  [/^(m|min|minute|minutes)$/, 60_000],
  [/^(h|hour|hours)$/, 3_600_000],
  [/^(d|day|days)$/, 86_400_000],
];

/** A duration in Flink's configuration syntax ("3 s", "500ms", "1 min"; a bare number is ms); undefined when not one. */
export function flinkDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (match[2] === '') return amount;
  const unit = FLINK_DURATION_UNITS.find(([names]) => names.test(match[2].toLowerCase()));
  return unit === undefined ? undefined : amount * unit[1];
}

function checkpointRef(stats: { id: number; external_path?: string; latest_ack_timestamp?: number }): CheckpointRef {
  return {
    id: stats.id,
    ...(stats.external_path ? { externalPath: stats.external_path } : {}),
    ...(stats.latest_ack_timestamp !== undefined && stats.latest_ack_timestamp > 0 ? { completedAt: stats.latest_ack_timestamp } : {}),
  };
}

function exceptionEntry(e: ExceptionHistoryEntry): JobExceptionEntry[] {
  if (e.exceptionName === undefined || e.timestamp === undefined) return [];
  const location = e.endpoint ?? e.location;
  return [{
    exceptionName: e.exceptionName,
    stacktrace: e.stacktrace ?? e.exceptionName,
    timestamp: e.timestamp,
    ...(e.taskName ? { taskName: e.taskName } : {}),
    ...(location ? { location } : {}),
  }];
}

/** Flink's disposal of a path with nothing there: "Cannot find checkpoint or savepoint file/directory". */
function isNothingThere(trace: string): boolean {
  return /FileNotFoundException|Cannot find checkpoint or savepoint/i.test(trace);
}

function dropUndefined(_key: string, value: unknown): unknown {
  return value === undefined ? undefined : value;
}

function errorText(body: unknown): string {
  const parsed = ErrorResponse.safeParse(body);
  if (parsed.success) return parsed.data.errors.join('\n');
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim().length > 0)?.trim().slice(0, 500) ?? '';
}
