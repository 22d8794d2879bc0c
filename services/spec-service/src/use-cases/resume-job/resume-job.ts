// Use case: resume a suspended job (POST /api/v1/jobs/{jobId}/resume, or ResumeJob upstream).
import { Inject, Injectable } from '@nestjs/common';
import type { ArtifactPolicy } from '@fjc/contracts';
import { ARTIFACT_POLICY } from '../../http/spec-limits.token';
import type { Queryable } from '@fjc/event-log';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideResumeJob, type ResumeJobCommand } from './decide-resume-job';

@Injectable()
export class ResumeJob {
  constructor(
    private readonly runner: SpecCommandRunner,
    @Inject(ARTIFACT_POLICY) private readonly policy: ArtifactPolicy,
  ) {}

  execute(tx: Queryable, jobId: string, command: ResumeJobCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.runner.run(tx, 'resume', jobId, (stream) => decideResumeJob(stream, command, this.policy), context);
  }
}
