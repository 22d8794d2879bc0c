// The stack's PostgreSQL: connect, apply a TypeORM migration, and a rolled-back transaction
// leaves nothing behind.
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fjc/testing';

class CreateProbeTable1700000000000 implements MigrationInterface {
  name = 'CreateProbeTable1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('create table probe (id bigserial primary key, note text not null)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table probe');
  }
}

describe('PostgreSQL (local stack)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateProbeTable1700000000000], logging: false });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('applies a migration once and records it', async () => {
    const applied = await ds.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateProbeTable1700000000000']);
    expect(await ds.runMigrations()).toEqual([]);
    const [{ exists }] = await ds.query(`select to_regclass('public.probe') is not null as exists`);
    expect(exists).toBe(true);
  });

  it('leaves nothing behind after a rolled-back transaction', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await tx.query(`insert into probe (note) values ('one'), ('two')`);
        const [{ n }] = await tx.query('select count(*)::int as n from probe');
        expect(n).toBe(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [{ n }] = await ds.query('select count(*)::int as n from probe');
    expect(n).toBe(0);
  });
});
