// Use case: one upstream command from fjc.spec.commands. Checks the message with the
// contracts, runs the same use case the HTTP API runs, and adds exactly one result to the
// outbox in the message's transaction: the inbox (keyed by commandId) and the outbox (keyed
// by commandId) commit together with the command's events, so a re-sent command has no second
// effect and no second result, and a crash loses neither.
// A command is authenticated like an HTTP request, from its `authorization` header (Bearer: an
// OIDC access token or an FJC API token), and authorized by the same policy in SpecCommandRunner.
// A command without a valid credential, or whose identity may not do what it asks, gets one
// rejected result and nothing else happens. While the identity provider cannot be reached the
// message waits (the transport retries it), since a refusal would be final.
import { Injectable } from '@nestjs/common';
import {
  SPEC_COMMAND_CREDENTIAL_HEADER,
  SPEC_COMMAND_ON_BEHALF_OF_HEADER,
  validateSpecCommand,
  type Actor,
  type SpecCommand,
  type SpecCommandResult,
  type SpecCommandType,
} from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { DependencyUnavailableError } from '@fjc/messaging';
import { Authenticator } from '../../auth/authenticator';
import { actorOf, type Principal } from '../../auth/principal';
import type { SpecCommandName } from '../../observability/spec-metrics';
import type { CommandError } from '../../spec-stream/command-error';
import { addCommandResult } from '../../outbox/command-results-table';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { ApplySpec } from '../apply-spec/apply-spec';
import { DeleteJob } from '../delete-job/delete-job';
import { RecoverJob } from '../recover-job/recover-job';
import { ResumeJob } from '../resume-job/resume-job';
import { RollbackJob } from '../rollback-job/rollback-job';
import { RollbackWarnings } from '../rollback-job/rollback-warnings-query';
import { SuspendJob } from '../suspend-job/suspend-job';
import { invalidCommandResult, toCommandResult } from './to-command-result';

/** Who a command without an actor is recorded as. */
export const UNKNOWN_UPSTREAM: Actor = { kind: 'upstream', id: 'unknown' };

export interface CommandMessageInfo {
  /** The Kafka message key (the job id, when the producer followed the contract). */
  readonly key: string | null;
  readonly traceparent?: string;
  /** The message's headers: the credential is read from them. */
  readonly headers: Readonly<Record<string, string>>;
}

const COMMAND_NAMES: Readonly<Record<SpecCommandType, SpecCommandName>> = {
  ApplySpec: 'apply',
  SuspendJob: 'suspend',
  ResumeJob: 'resume',
  RollbackJob: 'rollback',
  DeleteJob: 'delete',
  RecoverJob: 'recover',
};

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
    private readonly authenticator: Authenticator,
    private readonly rollbackWarnings: RollbackWarnings,
  ) {}

  async execute(tx: Queryable, message: unknown, info: CommandMessageInfo): Promise<SpecCommandResult> {
    const result = await this.resultOf(tx, message, info);
    await addCommandResult(tx, result);
    return result;
  }

  private async resultOf(tx: Queryable, message: unknown, info: CommandMessageInfo): Promise<SpecCommandResult> {
    const refuse = (name: SpecCommandName, errors: readonly CommandError[]): SpecCommandResult => {
      const result = invalidCommandResult(message, info.key, errors);
      this.runner.refused(name, result.jobId, errors, this.contextOf(result.commandId, UNKNOWN_UPSTREAM, info));
      return result;
    };
    const name = commandNameOf(message);
    const auth = await this.authenticator.authenticate({
      authorization: header(info.headers, SPEC_COMMAND_CREDENTIAL_HEADER),
      [SPEC_COMMAND_ON_BEHALF_OF_HEADER]: header(info.headers, SPEC_COMMAND_ON_BEHALF_OF_HEADER),
    });
    if (!auth.ok) {
      if (auth.providerUnreachable) throw new DependencyUnavailableError('identity provider', auth.reason);
      return auth.status === 401
        ? refuse(name, [{ code: 'FJC_UNAUTHENTICATED', path: `headers.${SPEC_COMMAND_CREDENTIAL_HEADER}`, message: auth.reason }])
        : refuse(name, [{ code: 'FJC_FORBIDDEN', path: `headers.${SPEC_COMMAND_ON_BEHALF_OF_HEADER}`, message: auth.reason }]);
    }
    const parsed = validateSpecCommand(message);
    if (!parsed.ok) return refuse('invalid', parsed.errors);
    const { command } = parsed;
    const claimed = claimedActorRefusal(command.actor, auth.principal);
    if (claimed !== null) return refuse(name, [claimed]);
    const outcome = await this.dispatch(tx, command, { ...this.contextOf(command.commandId, actorOf(auth.principal), info), principal: auth.principal });
    // SpecCommandResult has no warnings field: a rollback's warnings are logged (RollbackWarnings) only.
    if (command.type === 'RollbackJob' && outcome.kind === 'appended') await this.rollbackWarnings.execute(command.jobId, outcome.version, tx);
    return toCommandResult(command.commandId, command.jobId, outcome);
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
        return this.rollbackJob.execute(tx, jobId, { expectedVersion, toVersion: command.toVersion, ...(command.savepointPath ? { savepointPath: command.savepointPath } : {}) }, context);
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

function commandNameOf(message: unknown): SpecCommandName {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(COMMAND_NAMES, type) ? COMMAND_NAMES[type as SpecCommandType] : 'invalid';
}

/** A header by name, whatever its case (Kafka header names are case-sensitive; HTTP's are not). */
function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/**
 * The actor of a command is the identity of its credential. A command may still name an actor
 * (the contract has the field), but only its own identity: naming another would be the
 * self-declared actor the audit trail must never hold. Acting for a user is done with the
 * x-fjc-on-behalf-of header, by an identity allowed to impersonate.
 */
function claimedActorRefusal(claimed: Actor | undefined, principal: Principal): CommandError | null {
  if (claimed === undefined || claimed.id === principal.subject || (principal.name !== undefined && claimed.id === principal.name)) return null;
  return {
    code: 'FJC_FORBIDDEN',
    path: 'actor',
    message: `the actor is the identity of the credential (${principal.subject}), not ${JSON.stringify(claimed.id)}: remove actor, or send ${SPEC_COMMAND_ON_BEHALF_OF_HEADER} with an identity allowed to impersonate`,
  };
}
