// Use case: roll a job back to an earlier version (POST /api/v1/jobs/{jobId}/rollback, or
// RollbackJob upstream).
import { Inject, Injectable } from '@nestjs/common';
import type { ArtifactPolicy } from '@fjc/contracts';
import { ARTIFACT_POLICY } from '../../http/spec-limits.token';
import type { Queryable } from '@fjc/event-log';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideRollbackJob, type RollbackJobCommand } from './decide-rollback-job';

@Injectable()
export class RollbackJob {
  constructor(
    private readonly runner: SpecCommandRunner,
    @Inject(ARTIFACT_POLICY) private readonly policy: ArtifactPolicy,
  ) {}

  execute(tx: Queryable, jobId: string, command: RollbackJobCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.runner.run(tx, 'rollback', jobId, (stream) => decideRollbackJob(stream, command, this.policy), context);
  }
}
