// What suspend, resume, rollback and delete share: one request about one job, and one line
// saying what happened (`jobId: ...`), or the service's errors on stderr with exit 1.
import type { Command } from 'commander';
import { z } from 'zod';
import { FjcApi, type ApiRequest } from './api-client';
import { ChangeResponseSchema, RollbackResponseSchema } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from './cli-io';
import { parseVersion } from './options';

export interface JobChangeOptions {
  readonly reason?: string;
  readonly ifMatch?: number;
}

export interface JobChange {
  readonly jobId: string;
  readonly method: 'POST' | 'DELETE';
  readonly action: string;
  readonly body?: Record<string, unknown>;
  readonly ifMatch?: number;
  /** The line after `jobId: `, for a new version (changed) or none. */
  readonly describe: (version: number, changed: boolean) => string;
}

export async function runJobChange(change: JobChange, io: CliIo, api: FjcApi = FjcApi.fromEnv()): Promise<ExitCode> {
  const body = change.body && Object.keys(change.body).length > 0 ? { contentType: 'application/json', text: JSON.stringify(change.body) } : undefined;
  const request: ApiRequest = { method: change.method, path: `/api/v1/jobs/${encodeURIComponent(change.jobId)}${change.action}`, body, ifMatch: change.ifMatch };
  // A rollback also says what restoring the older version's state could drop.
  const result = await api.call(request, change.action === '/rollback' ? RollbackResponseSchema : ChangeResponseSchema.extend({ warnings: z.tuple([]).default([]) }));
  if (!result.ok) {
    for (const e of result.errors) io.err(`${change.jobId}: ${e.path === '' ? '' : `${e.path}: `}${e.message}\n`);
    return EXIT.invalid;
  }
  io.out(`${change.jobId}: ${change.describe(result.body.version, result.body.changed)}\n`);
  for (const w of result.body.warnings) io.out(`${change.jobId}: warning: ${w.code}: ${w.message}\n`);
  return EXIT.ok;
}

/** --reason as the body's reason, when given. */
export function reasonBody(options: JobChangeOptions): Record<string, unknown> {
  return options.reason === undefined ? {} : { reason: options.reason };
}

/** A command that is one such change: `fjc NAME JOB_ID [--reason R] [--if-match N]`. */
export interface JobChangeCommand {
  readonly name: string;
  readonly description: string;
  readonly method: JobChange['method'];
  readonly action: string;
  readonly describe: JobChange['describe'];
}

export function registerJobChange(program: Command, io: CliIo, finish: (code: ExitCode) => void, command: JobChangeCommand): void {
  program
    .command(command.name)
    .description(command.description)
    .argument('<jobId>', 'the job')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, options: JobChangeOptions) =>
      finish(await runJobChange({ jobId, method: command.method, action: command.action, body: reasonBody(options), ifMatch: options.ifMatch, describe: command.describe }, io)),
    );
}
