// Query: every spec version of a job, oldest first (GET /api/v1/jobs/{jobId}/versions).
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { readStream } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { decodeSpecStreamEvent } from '../../spec-stream/decode-spec-event';
import { specStreamId } from '../../spec-stream/spec-stream';
import type { VersionList } from '@fjc/contracts';
import { specVersionsOf } from './spec-versions';

@Injectable()
export class ListVersions {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(jobId: string): Promise<VersionList | null> {
    const stored = await readStream(this.pool, specStreamId(jobId));
    if (stored.length === 0) return null;
    const events = stored.map((s) => ({ stored: s, event: decodeSpecStreamEvent(s) }));
    return { jobId, deleted: events.some((e) => e.event.type === 'JobDeleteRequested'), versions: specVersionsOf(events) };
  }
}
