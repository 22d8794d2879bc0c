// `node services/spec-service/dist/rebuild-main.js [--after-position N]`, also reached as
// `fjc log replay --rebuild spec-service`: rebuilds the spec-service's projections from the log
// with the database owner's rights (DATABASE_URL), progress on stderr, a summary on stdout.
import { Pool } from 'pg';
import { rebuildProjections } from './rebuild/rebuild-projections';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--after-position');
  const position = at >= 0 ? args[at + 1] : undefined;
  if (position !== undefined && !/^\d+$/.test(position)) throw new Error(`--after-position must be a whole number, got "${position}"`);
  const pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc', max: 2 });
  try {
    let from;
    if (position !== undefined) {
      const res = await pool.query<{ tx_id: string }>('select tx_id::text as tx_id from event_log where position = $1', [position]);
      if (!res.rows[0]) throw new Error(`no event at position ${position}`);
      from = { txId: res.rows[0].tx_id, position };
    }
    const report = await rebuildProjections(pool, { from, onProgress: (p) => process.stderr.write(`replayed ${p.done} events (at position ${p.at})\n`) });
    process.stdout.write(`spec-service projections rebuilt: ${report.replayed} events replayed, ${report.lifecycleEvents} lifecycle changes, ${report.jobs} job specs\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`FJC_REBUILD_FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
