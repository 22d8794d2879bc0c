// Use case: ask for a savepoint of a job now (POST /api/v1/jobs/{jobId}/savepoints).
import { Inject, Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import { ID_GENERATOR, type IdGenerator } from '../../ids';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideRequestSavepoint } from './decide-request-savepoint';

export interface RequestSavepointInput {
  readonly targetDirectory?: string;
  readonly expectedVersion?: number;
}

@Injectable()
export class RequestSavepoint {
  constructor(
    private readonly runner: SpecCommandRunner,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(tx: Queryable, jobId: string, input: RequestSavepointInput, context: CommandContext): Promise<{ outcome: CommandOutcome; requestId: string }> {
    const requestId = this.ids.newId();
    const outcome = await this.runner.run(tx, 'savepoint', jobId, (stream) => decideRequestSavepoint(stream, { ...input, requestId }), context);
    return { outcome, requestId };
  }
}
