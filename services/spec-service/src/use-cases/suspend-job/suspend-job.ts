// Use case: suspend a job (POST /api/v1/jobs/{jobId}/suspend, or SuspendJob upstream).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideSuspendJob, type SuspendJobCommand } from './decide-suspend-job';

@Injectable()
export class SuspendJob {
  constructor(private readonly runner: SpecCommandRunner) {}

  execute(tx: Queryable, jobId: string, command: SuspendJobCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.runner.run(tx, 'suspend', jobId, (stream) => decideSuspendJob(stream, command), context);
  }
}
