// An in-memory Flink session cluster for unit tests of the carry-out steps: jobs under the ids
// the caller chose, savepoints under trigger ids that complete after a few status polls, jars
// that can be forgotten or deleted, back pressure per job vertex, calls that can be made to fail,
// and a record of every call.
import { FlinkProtocolError, FlinkTlsError, FlinkUnavailableError } from '@fjc/flink-client';
import type {
  BackpressureLevel, CheckpointSummary, FlinkClient, FlinkJobView, JobExceptionEntry, RunJarRequest, RunJarResult, SavepointDisposalStatus, SavepointStatus,
} from '../flink/flink-port';

type State = FlinkJobView['state'];

interface FakeJob {
  state: State;
  startTime: number;
  endTime: number;
  request: RunJarRequest;
  checkpoints: CheckpointSummary;
  /** Vertex id -> its back-pressure level; null while Flink has no statistics for it. */
  vertices: Map<string, BackpressureLevel | null>;
  /** Newest first, as Flink lists them. */
  exceptions: JobExceptionEntry[];
  restarts: number;
  /** numRecordsOutPerSecond of the source vertex. */
  recordsOutPerSecond: number;
}

interface FakeSavepoint {
  readonly jobId: string;
  readonly stop: boolean;
  pollsLeft: number;
  readonly outcome: SavepointStatus;
}

export class FakeFlink implements FlinkClient {
  readonly calls: string[] = [];
  readonly jobs = new Map<string, FakeJob>();
  readonly jars = new Set<string>();
  readonly savepoints = new Map<string, FakeSavepoint>();
  /** Status polls a new savepoint stays IN_PROGRESS. */
  savepointPolls = 1;
  /** What the next savepoint ends as. */
  nextSavepointFails = false;
  /** Fails the next n calls of a method with FlinkUnavailableError. */
  private readonly outages = new Map<string, number>();
  /** Every call fails the TLS handshake (a cluster configured with the wrong CA). */
  private untrusted = false;
  private uploads = 0;

  unavailable(method: keyof FlinkClient, times = Number.POSITIVE_INFINITY): this {
    this.outages.set(method, times);
    return this;
  }

  untrustedCertificate(): this {
    this.untrusted = true;
    return this;
  }

  /** A job as if an earlier attempt (or someone else) had submitted it. */
  withJob(jobId: string, state: State = 'RUNNING', checkpoints: CheckpointSummary = {}): this {
    this.jobs.set(jobId, { state, startTime: 1_000, endTime: -1, request: { jobId, programArgsList: [] }, checkpoints, vertices: newVertices(), exceptions: [], restarts: 0, recordsOutPerSecond: 0 });
    return this;
  }

  /** The job failed once more: Flink restarted it and recorded the exception. */
  failOnce(jobId: string, exception: JobExceptionEntry, state: State = 'RESTARTING'): this {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`no fake job ${jobId}`);
    job.exceptions.unshift(exception);
    job.restarts += 1;
    job.state = state;
    return this;
  }

  /** Sets the back-pressure level of the job's vertices (vertices not named are added). */
  withBackpressure(jobId: string, levels: Record<string, BackpressureLevel | null>): this {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`fake Flink has no job ${jobId}`);
    for (const [vertexId, level] of Object.entries(levels)) job.vertices.set(vertexId, level);
    return this;
  }

  /** The job ends on its own (a batch run finishing, a job failing). */
  end(jobId: string, state: 'FINISHED' | 'FAILED' | 'CANCELED' = 'FINISHED'): this {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`fake Flink has no job ${jobId}`);
    job.state = state;
    job.endTime = 4_000;
    return this;
  }

  withSavepoint(jobId: string, triggerId: string, status: SavepointStatus, stop = true): this {
    this.savepoints.set(`${jobId}/${triggerId}`, { jobId, stop, pollsLeft: 0, outcome: status });
    return this;
  }

  count(method: keyof FlinkClient): number {
    return this.calls.filter((c) => c.split(' ')[0] === method).length;
  }

  /** Jar id -> the name it was uploaded under. */
  readonly jarNames = new Map<string, string>();
  /** The next n uploads reach Flink but their answer is lost (FlinkUnavailableError after storing the jar). */
  private lostUploadAnswers = 0;

  loseUploadAnswers(times = 1): this {
    this.lostUploadAnswers = times;
    return this;
  }

  async uploadJar(path: string, name = path.split('/').pop() ?? path): Promise<string> {
    this.enter('uploadJar', path);
    this.uploads += 1;
    const id = `jar-${this.uploads}`;
    this.jars.add(id);
    this.jarNames.set(id, name);
    if (this.lostUploadAnswers > 0) {
      this.lostUploadAnswers -= 1;
      throw new FlinkUnavailableError('Flink at fake: connection reset after the upload was sent');
    }
    return id;
  }

  async listJarFiles(): Promise<Array<{ id: string; name: string }>> {
    this.enter('listJarFiles');
    return [...this.jars].map((id) => ({ id, name: this.jarNames.get(id) ?? id }));
  }

  async deleteJar(jarId: string): Promise<boolean> {
    this.enter('deleteJar', jarId);
    this.jarNames.delete(jarId);
    return this.jars.delete(jarId);
  }

  async runJar(jarId: string, req: RunJarRequest): Promise<RunJarResult> {
    this.enter('runJar', jarId, req.jobId);
    if (!this.jars.has(jarId)) return { ok: false, code: 'FLINK_JAR_NOT_FOUND', message: `jar ${jarId} does not exist` };
    if (this.jobs.has(req.jobId)) return { ok: false, code: 'FLINK_DUPLICATE_JOB_ID', message: `Job has already been submitted: ${req.jobId}` };
    this.jobs.set(req.jobId, { state: 'RUNNING', startTime: 2_000, endTime: -1, request: req, checkpoints: {}, vertices: newVertices(), exceptions: [], restarts: 0, recordsOutPerSecond: 0 });
    return { ok: true, jobId: req.jobId };
  }

  async job(jobId: string): Promise<FlinkJobView | null> {
    this.enter('job', jobId);
    const job = this.jobs.get(jobId);
    return job ? { jid: jobId, state: job.state, startTime: job.startTime, endTime: job.endTime, vertexIds: [...job.vertices.keys()], sourceVertexIds: ['source'] } : null;
  }

  async stopWithSavepoint(jobId: string, opts: { triggerId: string }): Promise<string> {
    this.enter('stopWithSavepoint', jobId, opts.triggerId);
    return this.startSavepoint(jobId, opts.triggerId, true);
  }

  async triggerSavepoint(jobId: string, opts: { triggerId: string }): Promise<string> {
    this.enter('triggerSavepoint', jobId, opts.triggerId);
    return this.startSavepoint(jobId, opts.triggerId, false);
  }

  async savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus> {
    this.enter('savepointStatus', jobId, triggerId);
    const op = this.savepoints.get(`${jobId}/${triggerId}`);
    if (op === undefined) return { status: 'UNKNOWN' };
    if (op.pollsLeft > 0) {
      op.pollsLeft -= 1;
      return { status: 'IN_PROGRESS' };
    }
    const job = this.jobs.get(jobId);
    if (op.stop && op.outcome.status === 'COMPLETED' && job && job.state === 'RUNNING') {
      job.state = 'FINISHED';
      job.endTime = 3_000;
      job.checkpoints = { ...job.checkpoints, latestSavepoint: { id: 9, externalPath: op.outcome.location } };
    }
    return op.outcome;
  }

  async cancel(jobId: string): Promise<boolean> {
    this.enter('cancel', jobId);
    const job = this.jobs.get(jobId);
    if (job === undefined) return false;
    if (job.state === 'FINISHED' || job.state === 'CANCELED' || job.state === 'FAILED') {
      throw new FlinkProtocolError(`Flink answered PATCH /jobs/${jobId}?mode=cancel with HTTP 409: job is ${job.state}`);
    }
    job.state = 'CANCELED';
    job.endTime = 3_000;
    return true;
  }

  async rootException(jobId: string): Promise<string | null> {
    this.enter('rootException', jobId);
    return this.jobs.has(jobId) ? 'java.lang.IllegalStateException: boom' : null;
  }

  async checkpoints(jobId: string): Promise<CheckpointSummary | null> {
    this.enter('checkpoints', jobId);
    return this.jobs.get(jobId)?.checkpoints ?? null;
  }

  /** How long the fake cluster says its checkpoint statistics may lag (a test makes them lag). */
  checkpointStatsMaxAge = 3000;

  async checkpointStatsMaxAgeMs(): Promise<number> {
    return this.checkpointStatsMaxAge;
  }

  /** The version the fake cluster reports; not recorded in `calls` (the real client caches it). */
  version = '2.3.0';

  async flinkVersion(): Promise<string> {
    return this.version;
  }

  async vertexBackpressure(jobId: string, vertexId: string): Promise<BackpressureLevel | null> {
    this.enter('vertexBackpressure', jobId, vertexId);
    return this.jobs.get(jobId)?.vertices.get(vertexId) ?? null;
  }

  async exceptionHistory(jobId: string): Promise<JobExceptionEntry[] | null> {
    this.enter('exceptionHistory', jobId);
    return this.jobs.get(jobId)?.exceptions ?? null;
  }

  async jobMetrics(jobId: string, names: readonly string[]): Promise<Record<string, number> | null> {
    this.enter('jobMetrics', jobId);
    const job = this.jobs.get(jobId);
    return job === undefined ? null : names.includes('numRestarts') ? { numRestarts: job.restarts } : {};
  }

  async vertexMetricSum(jobId: string, vertexId: string, metric: string): Promise<number | null> {
    this.enter('vertexMetricSum', jobId, vertexId);
    const job = this.jobs.get(jobId);
    return job !== undefined && vertexId === 'source' && metric === 'numRecordsOutPerSecond' ? job.recordsOutPerSecond : null;
  }

  /** Savepoint paths that exist; disposing of one removes it. */
  readonly savepointFiles = new Set<string>();
  private readonly disposals = new Map<string, SavepointDisposalStatus>();

  async disposeSavepoint(path: string): Promise<string> {
    this.enter('disposeSavepoint', path);
    const id = (this.disposals.size + 1).toString(16).padStart(32, '0');
    const existed = this.savepointFiles.delete(path);
    this.disposals.set(id, existed ? { status: 'COMPLETED' } : { status: 'FAILED', message: `org.apache.flink.util.FlinkException: Could not dispose savepoint ${path}.`, gone: true });
    return id;
  }

  async savepointDisposalStatus(triggerId: string): Promise<SavepointDisposalStatus> {
    this.enter('savepointDisposalStatus', triggerId);
    return this.disposals.get(triggerId) ?? { status: 'UNKNOWN' };
  }

  private startSavepoint(jobId: string, triggerId: string, stop: boolean): string {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new FlinkProtocolError(`Flink answered POST /jobs/${jobId}/stop with HTTP 404`);
    const key = `${jobId}/${triggerId}`;
    if (!this.savepoints.has(key)) {
      const outcome: SavepointStatus = this.nextSavepointFails
        ? { status: 'FAILED', message: 'java.util.concurrent.CompletionException: checkpoint declined' }
        : { status: 'COMPLETED', location: `file:/savepoints/savepoint-${jobId.slice(0, 6)}-${triggerId.slice(0, 6)}` };
      this.savepoints.set(key, { jobId, stop, pollsLeft: this.savepointPolls, outcome });
    }
    return triggerId;
  }

  private enter(method: string, ...args: string[]): void {
    this.calls.push([method, ...args].join(' '));
    if (this.untrusted) throw new FlinkTlsError('TLS with Flink cluster "fake" failed: its certificate is not trusted', 'SELF_SIGNED_CERT_IN_CHAIN');
    const left = this.outages.get(method) ?? 0;
    if (left > 0) {
      this.outages.set(method, left - 1);
      throw new FlinkUnavailableError(`Flink at fake is unreachable (${method})`);
    }
  }
}

/** A source and a sink, without back-pressure statistics yet (as right after a start). */
function newVertices(): Map<string, BackpressureLevel | null> {
  return new Map([
    ['source', null],
    ['sink', null],
  ]);
}
