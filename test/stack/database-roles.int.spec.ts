// Least privilege in PostgreSQL, on the real server: the migration step (the four services'
// migrate-main entries, as `fjc db migrate` runs them) makes one role per service, named after
// the world's database; each role can append only its own event types as its own producer,
// can neither UPDATE, DELETE nor TRUNCATE the log, and cannot touch another service's tables.
// A service started before the migration step waits, naming FJC_SCHEMA_NOT_MIGRATED, and starts
// once the step has run. A world's roles go with its database.
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { appendToStream, databaseOf, inTransaction, roleUrl, serviceRoleName, type NewEvent } from '@fjc/event-log';
import { eventually, isolatedWorld, migrateWorld, ServiceProcess, type FjcServiceName, type IsolatedWorld } from '@fjc/testing';

const SERVICES: readonly FjcServiceName[] = ['spec-service', 'reconciler', 'scheduler', 'deployer'];

function event(type: string, producer: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    jobId: 'roles-job',
    payload: {},
    metadata: { producer, actor: { kind: 'service', id: producer }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

describe('per-service PostgreSQL roles (real PostgreSQL)', () => {
  let world: IsolatedWorld;
  let owner: Pool;
  const pools = new Map<FjcServiceName, Pool>();
  const role = (s: FjcServiceName) => serviceRoleName(s, databaseOf(world.db.url));
  const as = (s: FjcServiceName) => pools.get(s) as Pool;
  const append = (s: FjcServiceName, stream: string, e: NewEvent) => inTransaction(as(s), (tx) => appendToStream(tx, stream, 'any', [e]));
  const logCount = async () => (await owner.query<{ n: number }>('select count(*)::int as n from event_log')).rows[0].n;

  beforeAll(async () => {
    world = await isolatedWorld();
    owner = new Pool({ connectionString: world.db.url, max: 2 });
    for (const s of SERVICES) pools.set(s, new Pool({ connectionString: roleUrl(world.db.url, role(s)), max: 2 }));
    // One event of each service's own, appended as that service.
    await append('spec-service', 'spec-roles-job', event('SpecUpdated', 'spec-service'));
    await append('reconciler', 'reconciler-roles-job', event('LifecycleChanged', 'reconciler'));
    await append('scheduler', 'scheduler-roles-job', event('ScheduleTick', 'scheduler'));
    await append('deployer', 'deployer-roles-job', event('ActionSucceeded', 'deployer'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...pools.values()].map((p) => p.end()));
    await owner?.end();
    await world?.close();
  });

  it('makes one login role per service, named after the database, none a superuser', async () => {
    const res = await owner.query<{ rolname: string; rolsuper: boolean; rolcanlogin: boolean; rolcreaterole: boolean }>(
      'select rolname, rolsuper, rolcanlogin, rolcreaterole from pg_roles where rolname = any($1) order by rolname',
      [SERVICES.map(role)],
    );
    expect(res.rows).toEqual([...SERVICES.map(role)].sort().map((rolname) => ({ rolname, rolsuper: false, rolcanlogin: true, rolcreaterole: false })));
    expect(role('deployer')).toBe(`${databaseOf(world.db.url)}_deployer`);
    expect(await logCount()).toBe(4);
  });

  describe.each(SERVICES)('as %s', (s) => {
    it.each([
      ['UPDATE', `update event_log set type = 'Forged'`],
      ['DELETE', `delete from event_log`],
      ['TRUNCATE', `truncate event_log`],
    ])('%s of the log is refused by privilege', async (_op, sql) => {
      await expect(as(s).query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied/) });
      expect(await logCount()).toBe(4);
    });
  });

  it.each([
    ['deployer', 'SpecUpdated', 'spec-service', /FJC_LOG_FOREIGN_PRODUCER/],
    ['deployer', 'SpecUpdated', 'deployer', /FJC_LOG_FOREIGN_EVENT: deployer may not append SpecUpdated/],
    ['deployer', 'ActionRequested', 'reconciler', /FJC_LOG_FOREIGN_PRODUCER/],
    ['reconciler', 'ActionSucceeded', 'reconciler', /FJC_LOG_FOREIGN_EVENT/],
    ['scheduler', 'SpecUpdated', 'scheduler', /FJC_LOG_FOREIGN_EVENT/],
    ['spec-service', 'ScheduleTick', 'scheduler', /FJC_LOG_FOREIGN_PRODUCER/],
  ] as const)('%s cannot append %s as %s', async (s, type, producer, reason) => {
    await expect(append(s, `forged-${randomUUID()}`, event(type, producer))).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(reason) });
    expect(await logCount()).toBe(4);
  });

  it.each([
    ['deployer', 'select * from job_specs'],
    ['deployer', `insert into reconciler_jobs (job_id, state) values ('x', '{}')`],
    ['reconciler', 'select * from deployer_actions'],
    ['scheduler', 'select * from api_tokens'],
    ['spec-service', 'delete from scheduler_schedules'],
    ['spec-service', 'delete from log_writers'],
    // The deployer's cluster overview: the spec-service may read it (for the plan), nobody else may, and only the deployer writes it.
    ['spec-service', 'update cluster_overview set slots_free = 0'],
    ['reconciler', 'select * from cluster_overview'],
    ['scheduler', 'select * from cluster_overview'],
    // Template versions are immutable: the spec-service inserts them (and clears them to rebuild), never updates one.
    ['spec-service', `update job_templates set template = '{}'`],
    ['deployer', 'select * from job_templates'],
  ] as const)('%s cannot run "%s" on another service\'s table', async (s, sql) => {
    await expect(as(s).query(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('keeps the one role all services shared before without any privilege in the database', async () => {
    const res = await owner.query<{ n: number }>(
      `select count(*)::int as n from information_schema.role_table_grants where grantee = 'fjc_app' and table_catalog = current_database()`,
    );
    expect(res.rows[0].n).toBe(0);
  });

  it('a service started before the migration step waits with FJC_SCHEMA_NOT_MIGRATED, then starts once it ran', async () => {
    const late = await isolatedWorld({ LOG_LEVEL: 'info' }, { migrate: false });
    const svc = new ServiceProcess('reconciler', late.env);
    try {
      const started = svc.start(90_000);
      await eventually('the reconciler says its schema is not migrated', async () => svc.logs(200), (l) => /FJC_SCHEMA_NOT_MIGRATED/.test(l), { timeoutMs: 30_000, intervalMs: 250 });
      expect(svc.exited).toBe(false);
      await migrateWorld(late.db.url);
      await started;
      const res = await fetch(`${svc.url}/health/ready`);
      expect(res.status).toBe(200);
    } finally {
      await svc.stop();
      await late.close();
    }
  }, 150_000);

  it('drops a world\'s roles with its database', async () => {
    const other = await isolatedWorld();
    const name = databaseOf(other.db.url);
    const admin = new Client({ connectionString: world.db.url });
    await admin.connect();
    try {
      const count = async () => (await admin.query<{ n: number }>(`select count(*)::int as n from pg_roles where rolname like $1`, [`${name}\\_%`])).rows[0].n;
      expect(await count()).toBe(4);
      await other.close();
      expect(await count()).toBe(0);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
