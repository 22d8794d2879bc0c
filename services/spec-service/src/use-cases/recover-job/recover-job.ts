// Use case: decide how a job that lost its state starts again (POST /api/v1/jobs/{jobId}/recover,
// RecoverJob on fjc.spec.commands, `fjc recover`).
import { Inject, Injectable } from '@nestjs/common';
import type { ArtifactPolicy } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { ARTIFACT_POLICY } from '../../http/spec-limits.token';
import { ID_GENERATOR, type IdGenerator } from '../../ids';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideRecoverJob, type RecoverJobCommand } from './decide-recover-job';

export type RecoverJobInput = Omit<RecoverJobCommand, 'requestId'>;

@Injectable()
export class RecoverJob {
  constructor(
    private readonly runner: SpecCommandRunner,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(ARTIFACT_POLICY) private readonly policy: ArtifactPolicy,
  ) {}

  async execute(tx: Queryable, jobId: string, input: RecoverJobInput, context: CommandContext): Promise<{ outcome: CommandOutcome; requestId: string }> {
    const requestId = this.ids.newId();
    const outcome = await this.runner.run(tx, 'recover', jobId, (stream) => decideRecoverJob(stream, { ...input, requestId }, this.policy), context);
    return { outcome, requestId };
  }
}
