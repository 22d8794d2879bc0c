// `fjc db migrate`: the migration step, run with the database owner's credentials (DATABASE_URL
// or --database-url) before the services start or are upgraded: every service's migrations (the
// event log's first), then each service's own role and grants (docs/database-roles.md). The
// services never migrate; one started before this step waits (FJC_SCHEMA_NOT_MIGRATED).
import type { Command } from 'commander';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { entriesOf, runServiceEntry, SERVICES_IN_ORDER } from '../service-entries';

const MIGRATORS = entriesOf('migrate-main.js');

export function registerDb(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const db = program.command('db').description('the database step of a deployment (needs the owner\'s DATABASE_URL)');
  db.command('migrate')
    .description('apply every service\'s migrations and make or update each service\'s role and grants')
    .option('--database-url <url>', 'the owner\'s PostgreSQL URL (default: DATABASE_URL)')
    .action((options: { databaseUrl?: string }) => {
      for (const service of SERVICES_IN_ORDER) {
        const code = runServiceEntry(MIGRATORS[service], [], options.databaseUrl, io);
        if (code !== EXIT.ok) return finish(code);
      }
      finish(EXIT.ok);
    });
}
