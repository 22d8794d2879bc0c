// Use case: one upstream command from fjc.spec.commands. Checks the message with the
// contracts, runs the same use case the HTTP API runs, and adds exactly one result to the
// outbox in the message's transaction: the inbox (keyed by commandId) and the outbox (keyed
// by commandId) commit together with the command's events, so a re-sent command has no second
// effect and no second result, and a crash loses neither.
import { Injectable } from '@nestjs/common';
import { validateSpecCommand, type Actor, type SpecCommand, type SpecCommandResult } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { addCommandResult } from '../../outbox/command-results-table';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { ApplySpec } from '../apply-spec/apply-spec';
import { DeleteJob } from '../delete-job/delete-job';
import { RecoverJob } from '../recover-job/recover-job';
import { ResumeJob } from '../resume-job/resume-job';
import { RollbackJob } from '../rollback-job/rollback-job';
import { SuspendJob } from '../suspend-job/suspend-job';
import { invalidCommandResult, toCommandResult } from './to-command-result';

/** Who a command without an actor is recorded as. */
export const UNKNOWN_UPSTREAM: Actor = { kind: 'upstream', id: 'unknown' };

export interface CommandMessageInfo {
  /** The Kafka message key (the job id, when the producer followed the contract). */
  readonly key: string | null;
  readonly traceparent?: string;
}

@Injectable()
export class HandleSpecCommand {
  constructor(
    private readonly runner: SpecCommandRunner,
    private readonly applySpec: ApplySpec,
    private readonly suspendJob: SuspendJob,
    private readonly resumeJob: ResumeJob,
    private readonly rollbackJob: RollbackJob,
    private readonly deleteJob: DeleteJob,
    private readonly recoverJob: RecoverJob,
  ) {}

  async execute(tx: Queryable, message: unknown, info: CommandMessageInfo): Promise<SpecCommandResult> {
    const parsed = validateSpecCommand(message);
    let result: SpecCommandResult;
    if (!parsed.ok) {
      result = invalidCommandResult(message, info.key, parsed.errors);
      this.runner.refused('invalid', result.jobId, parsed.errors, this.contextOf(result.commandId, UNKNOWN_UPSTREAM, info));
    } else {
      const command = parsed.command;
      const outcome = await this.dispatch(tx, command, this.contextOf(command.commandId, command.actor ?? UNKNOWN_UPSTREAM, info));
      result = toCommandResult(command.commandId, command.jobId, outcome);
    }
    await addCommandResult(tx, result);
    return result;
  }

  private async dispatch(tx: Queryable, command: SpecCommand, context: CommandContext): Promise<CommandOutcome> {
    const { jobId, expectedVersion } = command;
    switch (command.type) {
      case 'ApplySpec':
        return (await this.applySpec.execute(tx, { jobId, body: { kind: 'value', value: command.spec }, expectedVersion }, context)).outcome;
      case 'SuspendJob':
        return this.suspendJob.execute(tx, jobId, { expectedVersion }, context);
      case 'ResumeJob':
        return this.resumeJob.execute(tx, jobId, { expectedVersion }, context);
      case 'RollbackJob':
        return this.rollbackJob.execute(tx, jobId, { expectedVersion, toVersion: command.toVersion }, context);
      case 'DeleteJob':
        return this.deleteJob.execute(tx, jobId, { expectedVersion }, context);
      case 'RecoverJob':
        return (await this.recoverJob.execute(tx, jobId, { expectedVersion, from: command.from }, context)).outcome;
    }
  }

  /** The command is its own correlation: every event it causes, and their consequences, carry its id. */
  private contextOf(commandId: string, actor: Actor, info: CommandMessageInfo): CommandContext {
    return {
      source: 'kafka',
      cause: { actor, correlationId: commandId, causationId: commandId, ...(info.traceparent ? { traceparent: info.traceparent } : {}) },
    };
  }
}
