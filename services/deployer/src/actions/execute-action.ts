// The use case: carry out one action, in numbered steps.
//   1. load what the deployer knows of the action; a result means there is nothing to do;
//   2. record the attempt (ActionStarted) in its own committed transaction, before Flink is called;
//   3. carry the action out against its cluster (every Flink call idempotent);
//   4. record the result (ActionSucceeded / ActionFailed) and start observing the job it left
//      running, noting the jar it runs from and whether the jar goes when the run ends (a
//      CleanUp instead prunes the records of the runs it cleaned up, in the same transaction).
// An attempt after the first resumes an interrupted one: the carry-out asks Flink what already
// happened (job id, trigger id) instead of doing anything twice.
import { contextOf } from '@fjc/event-log';
import { inSpan } from '@fjc/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { inTransaction } from '@fjc/event-log';
import { CLOCK, DB_POOL, type Clock } from '@fjc/service-runtime';
import { cleansUpJarOnEnd, JAR_CLEANUP_STORE, type JarCleanupStore } from '../artifacts/jar-cleanup';
import { JarUploads, type JarRef } from '../artifacts/jar-uploads';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { FLINK_CLUSTERS, isTerminal, type FlinkClusters } from '../flink/flink-port';
import { withTransientRetry } from '../flink/transient-retry';
import { DeployerMetrics } from '../metrics/deployer-metrics';
import { pruneRuns, recordJobJar, recordObservation, trackJob } from '../observation/observed-jobs';
import { DeployerStream } from '../stream/deployer-stream';
import { derivedEventId } from '../stream/event-ids';
import { SECRET_RESOLVER } from '../secrets/secret-providers';
import { redactValues, type SecretResolver } from '../secrets/secret-resolver';
import { secretRefsOf } from '@fjc/contracts';
import { SLEEP, type Sleep } from '../time/sleep';
import { failure, resultEvent, type ActionOutcome } from './action-outcome';
import { actionJarSha256, finishAction, loadAction, markStarted, recordActionJar, recordActionSavepoint, type StoredAction } from './action-store';
import type { CarryOutContext, SavepointReport } from './carry-out/carry-out-context';
import { carryOut, jobsActedOn } from './carry-out/carry-out';

@Injectable()
export class ExecuteAction {
  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    private readonly stream: DeployerStream,
    @Inject(FLINK_CLUSTERS) private readonly clusters: FlinkClusters,
    private readonly jars: JarUploads,
    @Inject(JAR_CLEANUP_STORE) private readonly jarCleanup: JarCleanupStore,
    @Inject(SECRET_RESOLVER) private readonly secrets: SecretResolver,
    private readonly metrics: DeployerMetrics,
    @Inject(DEPLOYER_CONFIG) private readonly config: DeployerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLEEP) private readonly sleep: Sleep,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws only what nobody can classify (the database, a bug) and StoppingError; the action then
   * stays open. Returns `deferredUntil` without starting the action (no event, no Flink call) while
   * its cluster's circuit breaker is open.
   */
  async execute(actionId: string, signal?: AbortSignal): Promise<{ deferredUntil: number } | undefined> {
    // 1. Known and without a result?
    const known = await loadAction(this.pool, actionId);
    if (known === null || known.status === 'succeeded' || known.status === 'failed') return undefined;
    const blockedUntil = this.clusters.blockedUntil?.(known.cluster) ?? null;
    if (blockedUntil !== null) return { deferredUntil: blockedUntil };

    // The action continues the trace of the request that caused it: its Flink calls and its
    // result are children of the `action` span.
    return inSpan(
      `action ${known.kind}`,
      {
        parent: contextOf({ traceparent: known.cause.traceparent }),
        attributes: { 'fjc.action.id': known.actionId, 'fjc.action.kind': known.kind, 'fjc.job.id': known.jobId, 'fjc.cluster': known.cluster },
        logFields: { jobId: known.jobId, correlationId: known.cause.correlationId },
      },
      async () => {
        // 2. Intent before effect.
        const attempt = await this.recordStart(known);
        if (attempt === null) return undefined;

        // 3. Flink.
        const outcome = await this.carryOutOnCluster(known, attempt, signal);

        // 4. The result.
        await this.recordResult(known, outcome);
        return undefined;
      },
    );
  }

  /**
   * Ends an action that kept failing for a reason nobody classified (a bug, a broken step): it
   * fails with FJC_ACTION_UNCLASSIFIED, not retryable, so nothing retries it without bound.
   */
  async giveUp(actionId: string, interruptions: number, lastError: string): Promise<void> {
    const known = await loadAction(this.pool, actionId);
    if (known === null || known.status === 'succeeded' || known.status === 'failed') return;
    await this.recordResult(known, failure('FJC_ACTION_UNCLASSIFIED', `the action failed ${interruptions} times in a row for a reason FJC does not classify; last: ${lastError}`, false));
  }

  private async recordStart(known: StoredAction): Promise<number | null> {
    const now = this.clock.now();
    const attempt = await inTransaction(this.pool, async (tx) => {
      const n = await markStarted(tx, known.actionId, now);
      if (n === null) return null;
      await this.stream.append(
        tx,
        known.jobId,
        [{ type: 'ActionStarted', payload: { actionId: known.actionId, kind: known.kind, attempt: n }, eventId: derivedEventId(known.actionId, 'started', n) }],
        known.cause,
      );
      for (const flinkJobId of jobsActedOn(known.action)) await trackJob(tx, { flinkJobId, jobId: known.jobId, cluster: known.cluster }, now);
      return n;
    });
    if (attempt !== null) {
      this.metrics.attempts.inc({ kind: known.kind });
      this.log(known, { event: 'action.started', attempt }, attempt > 1 ? 'action resumed: asking Flink what already happened' : 'action started');
    }
    return attempt;
  }

  private async carryOutOnCluster(known: StoredAction, attempt: number, signal?: AbortSignal): Promise<ActionOutcome> {
    const client = this.clusters.client(known.cluster);
    if (client === null) {
      return failure('FJC_CLUSTER_UNKNOWN', `no Flink cluster named "${known.cluster}" is configured (FJC_CLUSTERS_FILE, FJC_CLUSTERS)`, false);
    }
    // A submission's secret values, known here only to keep them out of the retry logs: Flink's
    // error text can quote a program argument.
    const secretValues = await this.submissionSecrets(known.action);
    const ctx: CarryOutContext = {
      flink: withTransientRetry(client, {
        attempts: this.config.flinkCallAttempts,
        delayMs: this.config.flinkRetryDelayMs,
        maxDelayMs: this.config.flinkRetryMaxDelayMs,
        signal,
        onRetry: (r) => {
          const err = redactValues(r.error, secretValues);
          this.log(known, { event: 'flink.call.retried', attempt, call: r.call, retry: r.attempt, delayMs: r.delayMs, err }, `Flink call ${r.call} failed (${err}); retry ${r.attempt} in ${r.delayMs} ms`);
        },
      }),
      cluster: known.cluster,
      jars: this.jars,
      runJars: this.jarCleanup,
      secrets: this.secrets,
      attempt,
      recordedSavepoint: known.savepointLocation,
      recordSavepoint: (report) => this.recordSavepoint(known, report),
      recordJar: (jar) => this.recordJar(known, jar),
      clock: this.clock,
      sleep: this.sleep,
      signal,
      pollMs: this.config.waitPollMs,
      savepointTimeoutMs: this.config.savepointTimeoutMs,
      terminalTimeoutMs: this.config.jobTerminalTimeoutMs,
      log: (fields, msg) => this.log(known, { ...fields, attempt }, msg),
    };
    const outcome = await carryOut(ctx, known.action);
    return outcome.ok || secretValues.length === 0 ? outcome : { ...outcome, message: redactValues(outcome.message, secretValues), ...(outcome.detail ? { detail: redactValues(outcome.detail, secretValues) } : {}) };
  }

  /** The resolved values of a Deploy's or Upgrade's secret references; none when they do not resolve (the submission then fails saying so). */
  private async submissionSecrets(action: StoredAction['action']): Promise<string[]> {
    if (action.kind !== 'Deploy' && action.kind !== 'Upgrade') return [];
    const refs = secretRefsOf(action.spec);
    if (refs.length === 0) return [];
    const resolved = await this.secrets.resolve(action.spec.namespace, refs).catch(() => null);
    return resolved?.ok ? [...resolved.values.values()] : [];
  }

  /** A savepoint is news as soon as Flink reports it: the location survives even if the rest of the action fails. */
  private async recordSavepoint(known: StoredAction, report: SavepointReport): Promise<void> {
    const savepoint = {
      triggerId: report.triggerId,
      status: report.status,
      ...(report.location ? { location: report.location } : {}),
      ...(report.failureCause ? { failureCause: report.failureCause.slice(0, 4000) } : {}),
    };
    const now = this.clock.now();
    await inTransaction(this.pool, async (tx) => {
      await this.stream.append(tx, known.jobId, [{ type: 'JobObserved', payload: { flinkJobId: report.flinkJobId, flinkState: report.jobState, savepoint } }], known.cause);
      if (report.location) await recordActionSavepoint(tx, known.actionId, report.location);
      await trackJob(tx, { flinkJobId: report.flinkJobId, jobId: known.jobId, cluster: known.cluster }, now);
      await recordObservation(tx, report.flinkJobId, { state: report.jobState, terminal: isTerminal(report.jobState), savepoint }, now);
    });
    this.metrics.observations.inc({ state: report.jobState });
    this.log(known, { event: 'flink.savepoint.settled', ...savepoint, flinkJobId: report.flinkJobId }, `savepoint ${report.status.toLowerCase()}`);
  }

  private async recordJar(known: StoredAction, jar: JarRef): Promise<void> {
    await recordActionJar(this.pool, known.actionId, jar);
  }

  private async recordResult(known: StoredAction, done: ActionOutcome): Promise<void> {
    // The digest of the bytes uploaded for this action (recorded with its jar, also by an earlier
    // attempt) goes into ActionSucceeded, so the log says which bytes ran.
    const deployed = done.ok && (known.action.kind === 'Deploy' || known.action.kind === 'Upgrade');
    const artifactSha256 = deployed ? await actionJarSha256(this.pool, known.actionId) : null;
    const outcome: ActionOutcome = done.ok && !('disposedPath' in done) && !('jarsDeleted' in done) && artifactSha256 !== null ? { ...done, artifactSha256 } : done;
    const now = this.clock.now();
    const event = await inTransaction(this.pool, async (tx) => {
      // A CleanUp prunes its runs' records in the transaction that records its success (the
      // rebuild prunes at that same event), and its result counts them. First: an observation of
      // one of them holding its row commits before, so it also comes before in the log.
      const action = known.action;
      const recorded = outcome.ok && 'jarsDeleted' in outcome && action.kind === 'CleanUp' ? { ...outcome, runsPruned: await pruneRuns(tx, known.jobId, action.flinkJobIds, known.actionId) } : outcome;
      const event = resultEvent(known.actionId, known.kind, recorded);
      await this.stream.append(tx, known.jobId, [{ ...event, eventId: derivedEventId(known.actionId, 'result') }], known.cause);
      await finishAction(tx, known.actionId, outcome.ok ? 'succeeded' : 'failed', event.payload, now);
      if (outcome.ok && outcome.flinkJobId !== undefined && (known.action.kind === 'Deploy' || known.action.kind === 'Upgrade')) {
        await trackJob(tx, { flinkJobId: outcome.flinkJobId, jobId: known.jobId, cluster: known.cluster }, now);
        await recordJobJar(tx, outcome.flinkJobId, known.actionId, cleansUpJarOnEnd(known.action.spec));
      }
      return event;
    });
    this.metrics.actions.inc({ kind: known.kind, outcome: outcome.ok ? 'succeeded' : 'failed', code: outcome.ok ? '' : outcome.code });
    if (known.requestedAt) this.metrics.actionDuration.observe({ kind: known.kind, outcome: outcome.ok ? 'succeeded' : 'failed' }, Math.max(0, (now.getTime() - known.requestedAt.getTime()) / 1000));
    if (outcome.ok && 'disposedPath' in outcome) {
      this.log(known, { event: 'action.succeeded', path: outcome.disposedPath }, 'action succeeded: savepoint disposed');
    } else if (outcome.ok && 'jarsDeleted' in outcome) {
      const runsPruned = event.type === 'ActionSucceeded' && event.payload.kind === 'CleanUp' ? event.payload.runsPruned : 0;
      this.log(known, { event: 'action.succeeded', jarsDeleted: outcome.jarsDeleted, runsPruned }, `action succeeded: ${outcome.jarsDeleted} jar(s) deleted, the records of ${runsPruned} run(s) pruned`);
    } else if (outcome.ok) {
      this.log(known, { event: 'action.succeeded', flinkJobId: outcome.flinkJobId, savepoint: outcome.savepoint }, 'action succeeded');
    } else {
      this.logger.warn(
        { event: 'action.failed', actionId: known.actionId, jobId: known.jobId, kind: known.kind, code: outcome.code, retryable: outcome.retryable, msg: outcome.message, ...(outcome.detail ? { detail: outcome.detail } : {}) },
        'deployer',
      );
    }
  }

  private log(known: StoredAction, fields: Record<string, unknown>, msg: string): void {
    this.logger.log({ actionId: known.actionId, jobId: known.jobId, kind: known.kind, cluster: known.cluster, ...fields, msg }, 'deployer');
  }
}
