// Runs spec commands for the use cases: the load-decide-append loop, then one structured log
// line and the metrics for what happened. The transaction is the caller's (an HTTP request's,
// or the Kafka message's ctx.tx), so the events commit together with everything else it holds.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Queryable } from '@fjc/event-log';
import type { EventCause } from '@fjc/service-runtime';
import { refusalOf, type JobPlace } from '../auth/job-access';
import type { Principal } from '../auth/principal';
import { SpecMetrics, type CommandSource, type SpecCommandName } from '../observability/spec-metrics';
import type { CommandError } from './command-error';
import type { Decision } from './decision';
import { runSpecCommand, type CommandOutcome } from './run-spec-command';
import { currentSpec, type SpecStream } from './spec-stream';
import { SPEC_STREAM_STORE, type SpecStreamStore } from './spec-stream-store';

/** Who asked (the events' cause) and through which door; `principal`, when set, is checked
 *  against the job's namespace before deciding (HTTP requests carry one). */
export interface CommandContext {
  readonly cause: EventCause;
  readonly source: CommandSource;
  readonly principal?: Principal;
}

@Injectable()
export class SpecCommandRunner {
  constructor(
    @Inject(SPEC_STREAM_STORE) private readonly store: SpecStreamStore,
    private readonly metrics: SpecMetrics,
    private readonly logger: Logger,
  ) {}

  /** `target`: where the command puts the job (apply: the new spec's namespace and cluster). */
  async run(
    tx: Queryable,
    command: SpecCommandName,
    jobId: string,
    decide: (s: SpecStream) => Decision,
    context: CommandContext,
    target?: JobPlace,
  ): Promise<CommandOutcome> {
    const permitted = (stream: SpecStream): Decision => permittedDecision(stream, command, jobId, decide, context, target);
    const outcome = await runSpecCommand(this.store, tx, jobId, permitted, context.cause);
    if (outcome.kind === 'rejected') this.refused(command, jobId, outcome.errors, context);
    else {
      const status = outcome.kind === 'appended' ? 'accepted' : 'unchanged';
      this.metrics.command(context.source, command, status);
      this.logger.log(
        {
          msg: `${command} ${jobId}: ${status}, version ${outcome.version}`,
          event: 'spec.command',
          command,
          jobId,
          status,
          version: outcome.version,
          eventTypes: outcome.kind === 'appended' ? outcome.events.map((e) => e.type) : [],
          ...causeFields(context),
        },
        'spec-commands',
      );
    }
    return outcome;
  }

  /** A dry run (the plan): the same load, authorization and decision as run, appending nothing. */
  async preview(
    tx: Queryable,
    command: SpecCommandName,
    jobId: string,
    decide: (s: SpecStream) => Decision,
    context: CommandContext,
    target?: JobPlace,
  ): Promise<{ readonly stream: SpecStream; readonly decision: Decision }> {
    const stream = await this.store.load(tx, jobId);
    return { stream, decision: permittedDecision(stream, command, jobId, decide, context, target) };
  }

  /** Records a command refused before it reached the stream (an invalid spec or request). */
  refused(command: SpecCommandName, jobId: string, errors: readonly CommandError[], context: CommandContext): void {
    this.metrics.command(context.source, command, 'rejected', errors);
    this.logger.log(
      {
        msg: `${command} ${jobId}: rejected (${errors[0]?.code ?? 'no code'})`,
        event: 'spec.command',
        command,
        jobId,
        status: 'rejected',
        errors: errors.map(({ code, path, message }) => ({ code, path, message })),
        ...causeFields(context),
      },
      'spec-commands',
    );
  }
}

/** The caller's right to the command on the job where it is now (and where it goes), then the decision. */
function permittedDecision(stream: SpecStream, command: SpecCommandName, jobId: string, decide: (s: SpecStream) => Decision, context: CommandContext, target?: JobPlace): Decision {
  const refusal = context.principal ? refusalOf(context.principal, command, jobId, placeOf(stream), target) : null;
  return refusal ? { kind: 'rejected', errors: [refusal] } : decide(stream);
}

function placeOf(stream: SpecStream): JobPlace | null {
  const current = currentSpec(stream);
  return current === null ? null : { namespace: current.spec.namespace, cluster: current.spec.cluster };
}

function causeFields({ cause, source }: CommandContext) {
  return { source, actor: cause.actor, correlationId: cause.correlationId, causationId: cause.causationId };
}
