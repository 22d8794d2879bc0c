// Query: the service-level report of a time range (GET /api/v1/sla): the jobs of the namespaces
// asked for and visible to the caller that have a service level now or missed one in the range,
// read from job_specs and the log (Deploys, FINISHED observations and SlaMissed of the range).
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { SlaMissedV1, type JobSpec, type SlaReport } from '@fjc/contracts';
import { slaReportOf } from './sla-report-of';

export interface SlaReportQuery {
  readonly from: Date;
  readonly to: Date;
  /** Namespaces asked for; null: all. */
  readonly namespaces: readonly string[] | null;
  /** Namespaces the caller may read; '*': all. */
  readonly visible: readonly string[] | '*';
}

@Injectable()
export class SlaReportQueryHandler {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(q: SlaReportQuery, now: Date = new Date()): Promise<SlaReport> {
    const jobs = await this.pool.query<{ job_id: string; spec: JobSpec }>(
      `select s.job_id, s.spec from job_specs s
        where ($1::text[] is null or s.spec->>'namespace' = any($1))
          and ($2::text[] is null or s.spec->>'namespace' = any($2))
          and (s.spec->'batch_config'->'sla' is not null or s.spec->'stream_config'->'sla' is not null
               or exists (select 1 from event_log e where e.job_id = s.job_id and e.type = 'SlaMissed' and e.recorded_at >= $3 and e.recorded_at < $4))
        order by s.job_id`,
      [q.namespaces, q.visible === '*' ? null : q.visible, q.from, q.to],
    );
    const ids = jobs.rows.map((r) => r.job_id);
    const events = await this.pool.query<{ job_id: string; type: string; payload: Record<string, unknown>; recorded_at: Date }>(
      `select job_id, type, payload, recorded_at from event_log
        where job_id = any($1) and recorded_at >= $2 and recorded_at < $3
          and (type = 'SlaMissed' or (type = 'ActionRequested' and payload->'action'->>'kind' = 'Deploy')
               or (type = 'JobObserved' and payload->>'flinkState' = 'FINISHED'))
        order by position`,
      [ids, q.from, q.to],
    );
    const byJob = new Map(ids.map((id) => [id, { runs: [] as string[], finished: new Set<string>(), misses: [] as SlaReport['jobs'][number]['misses'] }]));
    for (const e of events.rows) {
      const acc = byJob.get(e.job_id);
      if (!acc) continue;
      if (e.type === 'ActionRequested') acc.runs.push(String((e.payload.action as { flinkJobId: string }).flinkJobId));
      else if (e.type === 'JobObserved') acc.finished.add(String(e.payload.flinkJobId));
      else {
        const miss = SlaMissedV1.safeParse(e.payload);
        if (miss.success) acc.misses.push({ ...miss.data, recordedAt: e.recorded_at.toISOString() });
      }
    }
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      jobs: jobs.rows.map((r) => {
        const acc = byJob.get(r.job_id) ?? { runs: [], finished: new Set<string>(), misses: [] };
        return slaReportOf({ jobId: r.job_id, spec: r.spec, runsStarted: acc.runs, finished: acc.finished, misses: acc.misses }, q.from, q.to, now);
      }),
    };
  }
}
