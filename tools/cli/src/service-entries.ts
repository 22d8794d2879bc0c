// The services' own command-line entries (migration step, projection rebuilds), run by fjc as
// child processes with the owner's DATABASE_URL (or --database-url); their output is passed on.
import { spawnSync } from 'node:child_process';
import { EXIT, type CliIo, type ExitCode } from './cli-io';

export const SERVICES_IN_ORDER = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;

/** `@fjc/<service>/dist/<file>` for every service. */
export function entriesOf(file: string): Record<string, string> {
  return Object.fromEntries(SERVICES_IN_ORDER.map((s) => [s, `@fjc/${s}/dist/${file}`]));
}

export function runServiceEntry(entry: string, args: readonly string[], databaseUrl: string | undefined, io: CliIo): ExitCode {
  const env = { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const run = spawnSync(process.execPath, [require.resolve(entry), ...args], { env, encoding: 'utf8' });
  io.err(run.stderr ?? '');
  io.out(run.stdout ?? '');
  return run.status === 0 ? EXIT.ok : EXIT.invalid;
}
