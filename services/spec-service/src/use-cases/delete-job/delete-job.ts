// Use case: delete a job (DELETE /api/v1/jobs/{jobId}, or DeleteJob upstream).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideDeleteJob, type DeleteJobCommand } from './decide-delete-job';

@Injectable()
export class DeleteJob {
  constructor(private readonly runner: SpecCommandRunner) {}

  execute(tx: Queryable, jobId: string, command: DeleteJobCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.runner.run(tx, 'delete', jobId, (stream) => decideDeleteJob(stream, command), context);
  }
}
