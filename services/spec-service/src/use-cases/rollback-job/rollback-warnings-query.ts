// Query: the warnings of an accepted rollback (see rollback-warnings.ts), read after it was
// appended: the JobRolledBack event at `version` names the target, job_status the running
// version, the job's events its savepoints. Logged, so the warnings of an upstream RollbackJob
// (whose result has no field for them) are on record too.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { readJobEvents, type Queryable } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { decodeSpecStreamEvent } from '../../spec-stream/decode-spec-event';
import { specStreamId } from '../../spec-stream/spec-stream';
import { specVersionsOf } from '../list-versions/spec-versions';
import { savepointsOf } from '../list-savepoints/savepoints-of';
import { rollbackWarnings, type RollbackWarning } from './rollback-warnings';

@Injectable()
export class RollbackWarnings {
  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /** After the rollback committed: its warnings, or one saying they could not be read (the rollback stands either way). */
  async afterCommit(jobId: string, version: number): Promise<RollbackWarning[]> {
    try {
      return await this.execute(jobId, version);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.logger.warn({ msg: `rollback ${jobId}: warnings not read: ${reason}`, event: 'spec.rollback.warnings', code: 'FJC_ROLLBACK_WARNINGS_UNAVAILABLE', jobId, version }, 'spec-commands');
      return [{ code: 'FJC_ROLLBACK_WARNINGS_UNAVAILABLE', path: '', message: `the rollback is recorded as version ${version}; what it could drop was not read (${reason})` }];
    }
  }

  /** `q`: a transaction that holds the rollback, or the pool once it committed. */
  async execute(jobId: string, version: number, q: Queryable = this.pool): Promise<RollbackWarning[]> {
    const events = await readJobEvents(q, jobId);
    const specEvents = events.filter((e) => e.streamId === specStreamId(jobId)).map((s) => ({ stored: s, event: decodeSpecStreamEvent(s) }));
    const versions = specVersionsOf(specEvents);
    const rollback = versions.find((v) => v.version === version && v.type === 'JobRolledBack');
    if (rollback?.rolledBackTo === undefined) return [];
    const toVersion = rollback.rolledBackTo;
    const status = await q.query<{ deployed_version: number | null }>('select deployed_version from job_status where job_id = $1', [jobId]);
    const deployed = status.rows[0]?.deployed_version ?? null;
    const running = deployed === null ? undefined : versions.find((v) => v.version === deployed);
    // A savepoint the operator named is what the version starts from: no "no savepoint" warning.
    const named = specEvents.some((e) => e.event.type === 'JobRolledBack' && e.event.payload.version === version && e.event.payload.savepointPath !== undefined);
    const warnings = rollbackWarnings({
      named,
      toVersion,
      target: rollback,
      running: running ? { version: running.version, spec: running.spec } : null,
      savepoints: savepointsOf(events),
    });
    if (warnings.length > 0) {
      this.logger.log(
        { msg: `rollback ${jobId} to version ${toVersion}: ${warnings.map((w) => w.code).join(', ')}`, event: 'spec.rollback.warnings', jobId, version, toVersion, warnings },
        'spec-commands',
      );
    }
    return warnings;
  }
}
