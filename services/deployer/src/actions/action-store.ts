// deployer_actions: what the deployer knows of each action. Rows are read back through the
// contracts' schemas, so nothing unchecked flows inward from the database either.
import { z } from 'zod';
import { ActionRequestedV1, ActorSchema, type ActionKind, type DeployerAction } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import type { EventCause } from '@fjc/service-runtime';
import type { JarRef } from '../artifacts/jar-uploads';

export type ActionStatus = 'requested' | 'started' | 'succeeded' | 'failed';

export interface StoredAction {
  readonly actionId: string;
  readonly jobId: string;
  readonly cluster: string;
  readonly kind: ActionKind;
  readonly action: DeployerAction;
  readonly cause: EventCause;
  readonly status: ActionStatus;
  /** Attempts started so far. */
  readonly attempt: number;
  readonly savepointLocation?: string;
  /** The jar a submission of this action ran (or was about to run) from. */
  readonly jar?: JarRef;
  /** When the reconciler's request was recorded (the action's duration counts from here). */
  readonly requestedAt?: Date;
}

export interface NewAction {
  readonly jobId: string;
  readonly request: z.output<typeof ActionRequestedV1>;
  readonly cause: EventCause;
  readonly requestedAt: Date;
}

const CauseSchema = z.object({
  actor: ActorSchema,
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  traceparent: z.string().optional(),
});

interface ActionRow {
  action_id: string;
  job_id: string;
  cluster: string;
  request: unknown;
  cause: unknown;
  status: ActionStatus;
  attempt: number;
  savepoint_location: string | null;
  jar_id: string | null;
  jar_sha256: string | null;
  requested_at: Date;
}

const COLUMNS = 'action_id, job_id, cluster, request, cause, status, attempt, savepoint_location, jar_id, jar_sha256, requested_at';

function toStored(row: ActionRow): StoredAction {
  const request = ActionRequestedV1.parse(row.request);
  return {
    actionId: row.action_id,
    jobId: row.job_id,
    cluster: row.cluster,
    kind: request.action.kind,
    action: request.action,
    cause: CauseSchema.parse(row.cause),
    status: row.status,
    attempt: row.attempt,
    ...(row.savepoint_location === null ? {} : { savepointLocation: row.savepoint_location }),
    ...(row.jar_id === null || row.jar_sha256 === null ? {} : { jar: { jarId: row.jar_id, sha256: row.jar_sha256 } }),
    ...(row.requested_at ? { requestedAt: new Date(row.requested_at) } : {}),
  };
}

/** Queues the action; false when it is already known (a re-sent ActionRequested). */
export async function insertAction(q: Queryable, a: NewAction): Promise<boolean> {
  const res = await q.query(
    `insert into deployer_actions (action_id, job_id, cluster, kind, flink_job_id, request, cause, requested_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (action_id) do nothing`,
    [a.request.actionId, a.jobId, a.request.cluster, a.request.action.kind, 'flinkJobId' in a.request.action ? a.request.action.flinkJobId : null, JSON.stringify(a.request), JSON.stringify(a.cause), a.requestedAt],
  );
  return res.rowCount === 1;
}

export async function loadAction(q: Queryable, actionId: string): Promise<StoredAction | null> {
  const res = await q.query<ActionRow>(`select ${COLUMNS} from deployer_actions where action_id = $1`, [actionId]);
  return res.rows[0] ? toStored(res.rows[0]) : null;
}

/** The oldest open action of each job: actions of one job run one after another, in order. */
export async function nextActionPerJob(q: Queryable, limit: number): Promise<{ jobId: string; actionId: string }[]> {
  const res = await q.query<{ job_id: string; action_id: string }>(
    `select distinct on (job_id) job_id, action_id from deployer_actions
      where status in ('requested', 'started') order by job_id, seq limit $1`,
    [limit],
  );
  return res.rows.map((r) => ({ jobId: r.job_id, actionId: r.action_id }));
}

export async function oldestOpenAction(q: Queryable, jobId: string): Promise<string | null> {
  const res = await q.query<{ action_id: string }>(
    `select action_id from deployer_actions where job_id = $1 and status in ('requested', 'started') order by seq limit 1`,
    [jobId],
  );
  return res.rows[0]?.action_id ?? null;
}

/** Counts a new attempt; null when the action has a result meanwhile. */
export async function markStarted(q: Queryable, actionId: string, at: Date): Promise<number | null> {
  const res = await q.query<{ attempt: number }>(
    `update deployer_actions set status = 'started', attempt = attempt + 1, started_at = $2
      where action_id = $1 and status in ('requested', 'started') returning attempt`,
    [actionId, at],
  );
  return res.rows[0]?.attempt ?? null;
}

export async function recordActionSavepoint(q: Queryable, actionId: string, location: string): Promise<void> {
  await q.query('update deployer_actions set savepoint_location = $2 where action_id = $1', [actionId, location]);
}

/** The jar a submission is about to run from, recorded before runJar so a resumed attempt knows it. */
export async function recordActionJar(q: Queryable, actionId: string, jar: JarRef): Promise<void> {
  await q.query('update deployer_actions set jar_id = $2, jar_sha256 = $3 where action_id = $1', [actionId, jar.jarId, jar.sha256]);
}

/** The SHA-256 of the jar recorded for the action, if it uploaded or found one. */
export async function actionJarSha256(q: Queryable, actionId: string): Promise<string | null> {
  const res = await q.query<{ jar_sha256: string | null }>('select jar_sha256 from deployer_actions where action_id = $1', [actionId]);
  return res.rows[0]?.jar_sha256 ?? null;
}

export async function finishAction(q: Queryable, actionId: string, status: 'succeeded' | 'failed', result: unknown, at: Date): Promise<void> {
  await q.query('update deployer_actions set status = $2, result = $3, finished_at = $4 where action_id = $1', [actionId, status, JSON.stringify(result), at]);
}
