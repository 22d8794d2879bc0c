// command_results: the outbox of upstream command results. A result is added in the command's
// own transaction (so it exists exactly when the command's effects do), and published later by
// CommandResultPublisher. The command's key (its commandId, or a UUID derived from a malformed
// one) is the primary key: a second row for one command is impossible.
import type { SpecCommandResult } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { commandKey } from '@fjc/service-runtime';

export async function addCommandResult(tx: Queryable, result: SpecCommandResult): Promise<void> {
  await tx.query('insert into command_results (command_id, job_id, result) values ($1, $2, $3) on conflict (command_id) do nothing', [
    commandKey(result.commandId),
    result.jobId,
    JSON.stringify(result),
  ]);
}

export interface UnpublishedResult {
  readonly command_id: string;
  readonly job_id: string;
  readonly result: SpecCommandResult;
}

/** The oldest unpublished results, locked so another instance's publisher skips them. */
export async function claimUnpublished(tx: Queryable, limit: number): Promise<UnpublishedResult[]> {
  const res = await tx.query<UnpublishedResult>(
    `select command_id::text as command_id, job_id, result from command_results
      where published_at is null order by created_at, command_id limit $1 for update skip locked`,
    [limit],
  );
  return res.rows;
}

export async function markPublished(tx: Queryable, commandIds: readonly string[]): Promise<void> {
  await tx.query('update command_results set published_at = now() where command_id = any($1::uuid[])', [commandIds]);
}

/** The result as JSON in the contract's field order (jsonb keeps its own order). */
export function resultJson({ commandId, jobId, status, version, errors }: SpecCommandResult): string {
  return JSON.stringify({ commandId, jobId, status, version, errors });
}
