// Use case: resume a suspended job (POST /api/v1/jobs/{jobId}/resume, or ResumeJob upstream).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideResumeJob, type ResumeJobCommand } from './decide-resume-job';

@Injectable()
export class ResumeJob {
  constructor(private readonly runner: SpecCommandRunner) {}

  execute(tx: Queryable, jobId: string, command: ResumeJobCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.runner.run(tx, 'resume', jobId, (stream) => decideResumeJob(stream, command), context);
  }
}
