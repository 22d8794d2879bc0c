// The paged job list at 10,000 jobs, on the real PostgreSQL: a page reads about one page of rows
// unfiltered (the plan walks the primary key in job id order and stops, wherever the cursor is),
// and about page / selectivity rows filtered, never the whole list (EXPLAIN ANALYZE row counts,
// not timings); and the filters' SQL pages to exactly what the selector semantics say.
import { Pool } from 'pg';
import { matchesLabels, parseLabelSelector } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { isolatedWorld, type IsolatedWorld } from '@fjc/testing';
import { listJobsPage, type JobsPageQuery } from './read-model/jobs-query';

const JOBS = 10_000;
const idOf = (i: number) => `job-${String(i).padStart(5, '0')}`;
const labelsOf = (i: number): Record<string, string> => ({ tier: ['gold', 'silver', 'bronze'][i % 3], ...(i % 7 === 0 ? { canary: 'yes' } : {}) });

let world: IsolatedWorld;
let db: Pool;

beforeAll(async () => {
  world = await isolatedWorld();
  db = new Pool({ connectionString: world.db.url, max: 2 });
  // The read model straight away (the table a spec event writes), so 10,000 jobs take a second.
  await db.query(
    `insert into job_specs (job_id, version, spec_hash, spec, created_at, updated_at)
     select 'job-' || lpad(i::text, 5, '0'), 1, 'h',
            jsonb_build_object('namespace', 'ns-' || (i % 10), 'state', 'suspended', 'job_type', 'stream', 'cluster', 'default',
              'labels', jsonb_build_object('tier', (array['gold','silver','bronze'])[i % 3 + 1]) || case when i % 7 = 0 then '{"canary":"yes"}'::jsonb else '{}'::jsonb end),
            now(), now()
       from generate_series(0, ${JOBS - 1}) i`,
  );
  await db.query(`insert into job_status (job_id, lifecycle_version, state, changed_at) select job_id, 1, 'SUSPENDED', now() from job_specs where right(job_id, 1) = '3'`);
  await db.query('analyze job_specs, job_status');
});
afterAll(async () => {
  await db?.end();
  await world?.close();
});

const page = (over: Partial<JobsPageQuery>): JobsPageQuery => ({ afterJobId: null, limit: 101, namespaces: null, states: null, labels: [], text: null, includeDeleted: false, ...over });

/** Runs the list's own SQL under EXPLAIN ANALYZE: the rows each scan node read. */
async function rowsScanned(query: JobsPageQuery): Promise<{ nodes: string[]; scanned: number }> {
  let plan: unknown;
  const explaining: Queryable = {
    query: async <R>(text: string, values?: unknown[]) => {
      const res = await db.query(`explain (analyze, format json) ${text}`, values);
      plan = res.rows[0]['QUERY PLAN'][0].Plan;
      return { rows: [] as R[], rowCount: 0 };
    },
  } as Queryable;
  await listJobsPage(explaining, query);
  const nodes: string[] = [];
  let scanned = 0;
  const walk = (node: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows': number; 'Actual Loops': number; 'Rows Removed by Filter'?: number; Plans?: unknown[] }) => {
    nodes.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`);
    if (node['Relation Name'] === 'job_specs') scanned += node['Actual Rows'] * node['Actual Loops'] + (node['Rows Removed by Filter'] ?? 0);
    for (const child of node.Plans ?? []) walk(child as typeof node);
  };
  walk(plan as Parameters<typeof walk>[0]);
  return { nodes, scanned };
}

it('never reads the whole list for a page of 10,000 jobs: one page unfiltered, about page / selectivity filtered', async () => {
  for (const after of [null, idOf(7000)]) {
    const unfiltered = await rowsScanned(page({ afterJobId: after }));
    expect(unfiltered.nodes).not.toContain('Sort');
    expect(unfiltered.scanned).toBeLessThanOrEqual(101);
  }
  // One namespace in ten: the planner walks job id order until the page is full (about 1,010
  // rows) or, for a rarer filter, reads that namespace's index (1,000 rows) and sorts it.
  for (const query of [page({ namespaces: ['ns-3'] }), page({ afterJobId: idOf(7000), namespaces: ['ns-3'] }), page({ namespaces: ['ns-3'], labels: [{ op: 'exists', key: 'canary' }] })]) {
    const filtered = await rowsScanned(query);
    expect({ nodes: filtered.nodes, scanned: filtered.scanned <= 1_100 }).toEqual({ nodes: filtered.nodes, scanned: true });
  }
});

it('pages through a filtered list to exactly the jobs the selector, namespaces and state match', async () => {
  const selector = parseLabelSelector('tier in (gold,bronze),canary');
  if (!selector.ok) throw new Error(selector.message);
  const found: string[] = [];
  let after: string | null = null;
  for (;;) {
    const rows = await listJobsPage(db, page({ afterJobId: after, limit: 50, namespaces: ['ns-1', 'ns-3'], states: ['SUSPENDED'], labels: selector.requirements }));
    if (rows.length === 0) break;
    found.push(...rows.map((r) => r.jobId));
    after = rows.at(-1)?.jobId ?? null;
  }
  const expected = Array.from({ length: JOBS }, (_, i) => i)
    .filter((i) => i % 10 === 3 && matchesLabels(selector.requirements, labelsOf(i)))
    .map(idOf);
  expect(expected.length).toBeGreaterThan(10);
  expect(found).toEqual(expected);
});
