// Observes every Flink job the deployer submitted or acted on and has not yet seen terminal:
// every FJC_OBSERVE_INTERVAL_MS it claims the jobs that are due (one instance per job), reads
// each from Flink (a running job's back pressure too), and appends JobObserved to deployer-<jobId>
// when the state or back-pressure level differs from the one it last reported (or the restarts,
// completed checkpoints or emitting moved), updating it in the same transaction. Each exception
// of Flink's history not yet reported becomes one JobExceptionObserved, noted in
// deployer_job_exceptions in that transaction so it is never reported twice. Flink's text (the
// failure, exception messages) is reported with the job's secret values replaced by [REDACTED]. Each round then deletes the jars of ended runs that asked for it
// (batch_config.cleanup_on_completion). Rounds run on a PollingLoop, stopped in
// beforeApplicationShutdown before the pool closes.
import { contextOf } from '@fjc/event-log';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { inTransaction } from '@fjc/event-log';
import { CLOCK, DB_POOL, EventWriter, inSpan, loopLoggerOf, PollingLoop, type Clock } from '@fjc/service-runtime';
import { cleanUpEndedRuns, JAR_CLEANUP_STORE, type JarCleanupOutcome, type JarCleanupStore } from '../artifacts/jar-cleanup';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { FLINK_CLUSTERS, type FlinkClusters } from '../flink/flink-port';
import { DeployerMetrics } from '../metrics/deployer-metrics';
import { jobSecretValues } from '../secrets/job-secrets';
import { SECRET_RESOLVER } from '../secrets/secret-providers';
import type { SecretResolver } from '../secrets/secret-resolver';
import { DeployerStream } from '../stream/deployer-stream';
import { exceptionObservation, type JobExceptionObservedPayload } from './job-exceptions';
import { backpressureToRemember, isNews, observationOf, stopsObservation, type LastReported } from './job-observation';
import { lookAtJob, type JobLook } from './look-at-job';
import { claimDueJobs, clearConfirmTrace, lockObservedJob, recordObservation, recordReportedException, touchObservation, type ObservedJob } from './observed-jobs';

const BATCH = 100;

/** Flink states that settle an action's outcome: its trace ends with the report of one. */
const SETTLED: ReadonlySet<string> = new Set(['RUNNING', 'FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED', 'NOT_FOUND']);

@Injectable()
export class ObservationPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(FLINK_CLUSTERS) private readonly clusters: FlinkClusters,
    private readonly stream: DeployerStream,
    private readonly writer: EventWriter,
    private readonly metrics: DeployerMetrics,
    @Inject(DEPLOYER_CONFIG) private readonly config: DeployerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JAR_CLEANUP_STORE) private readonly jarCleanup: JarCleanupStore,
    @Inject(SECRET_RESOLVER) private readonly secrets: SecretResolver,
    private readonly logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'observation',
      intervalMs: config.observeIntervalMs,
      pass: () => this.observeDueJobs().then(() => undefined),
      errorCode: 'FJC_OBSERVATION_ROUND_FAILED',
      logger: loopLoggerOf(logger, 'observer'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private get stopped(): boolean {
    return this.loop.signal.aborted;
  }

  /** One round over the due jobs, then over the jars of ended runs; returns how many jobs were looked at. */
  async observeDueJobs(): Promise<number> {
    const due = await claimDueJobs(this.pool, this.clock.now(), this.config.observeIntervalMs, BATCH);
    for (const job of due) {
      if (this.stopped) break;
      await this.observe(job).catch((err: unknown) =>
        this.logger.warn(
          { event: 'observation.failed', flinkJobId: job.flinkJobId, jobId: job.jobId, cluster: job.cluster, err: err instanceof Error ? err.message : String(err), msg: 'could not observe the job; trying again next round' },
          'observer',
        ),
      );
    }
    if (!this.stopped) await this.cleanUpJars();
    return due.length;
  }

  private async cleanUpJars(): Promise<void> {
    const outcomes = await cleanUpEndedRuns({
      store: this.jarCleanup,
      clusters: this.clusters,
      now: this.clock.now(),
      intervalMs: this.config.observeIntervalMs,
      limit: BATCH,
    });
    for (const o of outcomes) this.logJarCleanup(o);
  }

  private logJarCleanup(o: JarCleanupOutcome): void {
    const fields = { flinkJobId: o.run.flinkJobId, jobId: o.run.jobId, cluster: o.run.cluster, jarId: o.run.jarId, sha256: o.run.sha256 };
    switch (o.outcome) {
      case 'deleted':
      case 'already-gone':
        this.logger.log({ event: 'jar.deleted', ...fields, alreadyGone: o.outcome === 'already-gone', msg: 'the run ended; its jar was deleted from the cluster (cleanup_on_completion)' }, 'observer');
        return;
      case 'in-use':
        this.logger.debug({ event: 'jar.cleanup.deferred', ...fields, msg: 'the run ended but another job uses the jar; deleting it later' }, 'observer');
        return;
      case 'failed':
        this.logger.warn({ event: 'jar.cleanup.failed', ...fields, code: o.code, err: o.message, msg: 'could not delete the jar of an ended run; trying again next round' }, 'observer');
    }
  }

  private async observe(job: ObservedJob): Promise<void> {
    const flink = this.clusters.client(job.cluster);
    if (flink === null) {
      this.logger.warn({ event: 'observation.skipped', code: 'FJC_CLUSTER_UNKNOWN', flinkJobId: job.flinkJobId, cluster: job.cluster, msg: 'the job\'s cluster is not configured' }, 'observer');
      return;
    }
    // Read Flink before the transaction, so no transaction stays open during an HTTP call.
    const readAt = this.clock.now();
    const look = await lookAtJob(flink, job.flinkJobId, job.lastRestarts);
    const hasFlinkText = (look.rootException ?? '').trim() !== '' || (look.exceptions?.length ?? 0) > 0;
    const secrets = hasFlinkText ? await jobSecretValues(this.pool, this.secrets, job.flinkJobId) : [];
    if (look.backpressureError !== undefined) {
      // Flink answers 500 while a just-started job's tasks are still being deployed: only a job
      // already seen RUNNING makes that worth a warning.
      const entry = { event: 'observation.backpressure.failed', flinkJobId: job.flinkJobId, jobId: job.jobId, cluster: job.cluster, err: look.backpressureError, msg: 'could not read back pressure; reporting the state without it' };
      if (job.lastState === 'RUNNING') this.logger.warn(entry, 'observer');
      else this.logger.log(entry, 'observer');
    }

    const reported = await inTransaction(this.pool, async (tx) => {
      const current = await lockObservedJob(tx, job.flinkJobId);
      // Gone terminal, being written by someone else, or recorded more recently than we read Flink: not ours to report.
      if (current === null || (current.observedAt !== null && current.observedAt > readAt)) return null;
      const observation = observationOf(job.flinkJobId, look, current.savepoint, readAt, secrets);
      const last: LastReported = {
        state: current.lastState,
        backpressure: current.lastBackpressure,
        checkpointId: current.lastCheckpointId,
        restarts: current.lastRestarts,
        checkpointsCompleted: current.lastCheckpointsCompleted,
        emitting: current.lastEmitting,
      };
      const exceptions = await this.newExceptions(tx, job.flinkJobId, look, secrets);
      const news = isNews(last, observation);
      if (!news && exceptions.length === 0) {
        await touchObservation(tx, job.flinkJobId, this.clock.now());
        return null;
      }
      const events = [
        ...exceptions.map((payload) => ({ type: 'JobExceptionObserved' as const, payload })),
        ...(news ? [{ type: 'JobObserved' as const, payload: observation }] : []),
      ];
      const append = () =>
        this.stream.append(tx, job.jobId, events, {
          actor: this.writer.serviceActor,
          correlationId: randomUUID(),
          causationId: null,
        });
      // The reports after an action, up to the one that settles it (running, or ended), confirm
      // its result: they join the action's trace.
      if (current.confirmTraceparent && news) {
        await inSpan(`observe ${observation.flinkState}`, { parent: contextOf({ traceparent: current.confirmTraceparent }), attributes: { 'fjc.job.id': job.jobId, 'fjc.flink.job.id': job.flinkJobId, 'fjc.flink.state': observation.flinkState } }, append);
        if (SETTLED.has(observation.flinkState)) await clearConfirmTrace(tx, job.flinkJobId);
      } else await append();
      if (!news) {
        await touchObservation(tx, job.flinkJobId, this.clock.now());
        return { from: last, observation, exceptions, news };
      }
      await recordObservation(
        tx,
        job.flinkJobId,
        {
          state: observation.flinkState,
          terminal: stopsObservation(observation.flinkState),
          backpressure: backpressureToRemember(last, observation),
          ...(observation.lastCheckpoint ? { checkpointId: observation.lastCheckpoint.id } : {}),
          ...(observation.restarts !== undefined ? { restarts: observation.restarts } : {}),
          ...(observation.checkpoints ? { checkpointsCompleted: observation.checkpoints.completed } : {}),
          ...(observation.recordsOutPerSecond !== undefined ? { emitting: observation.recordsOutPerSecond > 0 } : {}),
        },
        this.clock.now(),
      );
      return { from: last, observation, exceptions, news };
    });
    for (const e of reported?.exceptions ?? []) {
      this.logger.warn(
        { event: 'flink.job.exception', flinkJobId: job.flinkJobId, jobId: job.jobId, cluster: job.cluster, exceptionId: e.exceptionId, exception: e.rootCause.name, restarts: e.restartCount, msg: `Flink job failed: ${e.rootCause.message}` },
        'observer',
      );
    }
    if (reported?.news === true) {
      this.metrics.observations.inc({ state: reported.observation.flinkState });
      // A change of state is news at info; the same state with a new checkpoint or count is at
      // debug (it comes every few seconds per job and is not a transition).
      const changed = reported.from.state !== reported.observation.flinkState;
      (changed ? this.logger.log.bind(this.logger) : this.logger.debug.bind(this.logger))(
        {
          event: changed ? 'flink.job.observed' : 'flink.job.reported',
          flinkJobId: job.flinkJobId,
          jobId: job.jobId,
          cluster: job.cluster,
          from: reported.from.state,
          to: reported.observation.flinkState,
          ...(reported.observation.backpressure !== undefined ? { backpressure: reported.observation.backpressure, backpressureBefore: reported.from.backpressure } : {}),
          ...(reported.observation.lastCheckpoint ? { checkpointId: reported.observation.lastCheckpoint.id, checkpointPath: reported.observation.lastCheckpoint.path } : {}),
          ...(reported.observation.restarts !== undefined ? { restarts: reported.observation.restarts } : {}),
          ...(reported.observation.checkpoints ? { checkpoints: reported.observation.checkpoints } : {}),
          msg: reported.from.state !== reported.observation.flinkState ? 'Flink job state changed' : 'Flink job reported (checkpoint, restarts, output or back pressure changed)',
        },
        'observer',
      );
    }
  }

  /** The history's exceptions not reported yet, oldest first, each noted as reported in `tx`. */
  private async newExceptions(tx: Parameters<typeof recordReportedException>[0], flinkJobId: string, look: JobLook, secrets: readonly string[]): Promise<JobExceptionObservedPayload[]> {
    const fresh: JobExceptionObservedPayload[] = [];
    for (const entry of [...(look.exceptions ?? [])].reverse()) {
      const payload = exceptionObservation(flinkJobId, entry, secrets, look.restarts ?? null);
      if (await recordReportedException(tx, flinkJobId, payload.exceptionId, this.clock.now())) fresh.push(payload);
    }
    return fresh;
  }
}
