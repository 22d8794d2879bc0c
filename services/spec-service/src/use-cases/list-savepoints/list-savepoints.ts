// Query: the savepoints of a job by spec version (GET /api/v1/jobs/{jobId}/savepoints), from
// the job's events in the log (SavepointRecorded, and the DisposeSavepoint actions that removed
// them). null for a job without a spec stream.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { readJobEvents } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { specStreamId } from '../../spec-stream/spec-stream';
import type { SavepointList } from '@fjc/contracts';
import { savepointsOf } from './savepoints-of';

@Injectable()
export class ListSavepoints {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(jobId: string): Promise<SavepointList | null> {
    const events = await readJobEvents(this.pool, jobId);
    if (!events.some((e) => e.streamId === specStreamId(jobId))) return null;
    return { jobId, savepoints: savepointsOf(events) };
  }
}
