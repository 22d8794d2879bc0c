// The spec-service's own Prometheus metrics, on the process registry: specs applied (by
// outcome) and rejected (by error code), commands by status, results published, lifecycle
// events applied to the read model.
import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@fjc/service-runtime';
import type { CommandError } from '../spec-stream/command-error';

/** Where a command came from: the HTTP API or fjc.spec.commands. */
/** pipeline: a stage's job spec applied by a pipeline run. */
export type CommandSource = 'http' | 'kafka' | 'pipeline';
/** "invalid": a message on fjc.spec.commands that is not a valid command. */
export type SpecCommandName = 'apply' | 'suspend' | 'resume' | 'rollback' | 'delete' | 'savepoint' | 'recover' | 'invalid';
export type CommandStatus = 'accepted' | 'unchanged' | 'rejected';

@Injectable()
export class SpecMetrics {
  private readonly applied: Counter<'source' | 'outcome'>;
  private readonly rejected: Counter<'source' | 'code'>;
  private readonly commands: Counter<'source' | 'command' | 'status'>;
  private readonly published: Counter;
  private readonly lifecycle: Counter<'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.applied = new Counter({
      name: 'fjc_specs_applied_total',
      help: 'Specs accepted by apply, by outcome (created, updated, unchanged)',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.rejected = new Counter({
      name: 'fjc_specs_rejected_total',
      help: 'Spec commands refused, by the code of their first error',
      labelNames: ['source', 'code'],
      registers,
    });
    this.commands = new Counter({
      name: 'fjc_spec_commands_total',
      help: 'Spec commands handled, by command and status',
      labelNames: ['source', 'command', 'status'],
      registers,
    });
    this.published = new Counter({ name: 'fjc_spec_command_results_published_total', help: 'Upstream command results published', registers });
    this.lifecycle = new Counter({
      name: 'fjc_lifecycle_events_total',
      help: 'LifecycleChanged events read into the status model (applied, or stale and ignored)',
      labelNames: ['outcome'],
      registers,
    });
  }

  command(source: CommandSource, command: SpecCommandName, status: CommandStatus, errors: readonly CommandError[] = []): void {
    this.commands.inc({ source, command, status });
    if (status === 'rejected') this.rejected.inc({ source, code: errors[0]?.code ?? 'unknown' });
  }

  specApplied(source: CommandSource, outcome: 'created' | 'updated' | 'unchanged'): void {
    this.applied.inc({ source, outcome });
  }

  resultsPublished(count: number): void {
    this.published.inc(count);
  }

  lifecycleEvent(outcome: 'applied' | 'stale'): void {
    this.lifecycle.inc({ outcome });
  }
}
