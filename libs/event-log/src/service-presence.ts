// Whether a service runs, as PostgreSQL sees it: every running instance of a service holds a
// shared advisory lock named after it, on a connection of its own and without a transaction
// (so it holds back no log reader), for as long as the process lives; a killed process's lock
// goes with its connection. A rebuild of that service's tables takes the same lock exclusively:
// it is refused while any instance runs, and an instance starting meanwhile waits for it.
import { Client, type Pool } from 'pg';
import { pgClientConfig } from './pg-config';
import { pgTimeoutsFromEnv } from './pg-pool';

const key = (service: string) => `fjc.service:${service}`;

export interface ServicePresence {
  release(): Promise<void>;
}

/** Marks this process as a running instance of `service` until released. The lock goes with its
 *  connection: when PostgreSQL restarts, it is taken again (with back-off) once the server is back. */
export async function holdServicePresence(connectionString: string, service: string): Promise<ServicePresence> {
  let released = false;
  let client = await lockedClient(connectionString, service);
  const keep = (c: Client) =>
    c.once('end', () => {
      if (!released) void retake();
    });
  const retake = async () => {
    for (let attempt = 0; !released; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
      if (released) return;
      try {
        const again = await lockedClient(connectionString, service);
        if (released) {
          await again.end().catch(() => undefined);
          return;
        }
        client = again;
        keep(again);
        return;
      } catch {
        // still down: try again
      }
    }
  };
  keep(client);
  return {
    release: async () => {
      released = true;
      await client.end().catch(() => undefined);
    },
  };
}

async function lockedClient(connectionString: string, service: string): Promise<Client> {
  const client = new Client({ ...pgClientConfig(connectionString), application_name: `fjc-presence:${service}`, connectionTimeoutMillis: pgTimeoutsFromEnv().connectTimeoutMs });
  client.on('error', () => undefined); // the lock ends with the connection; 'end' takes it again
  try {
    await client.connect();
    await client.query('select pg_advisory_lock_shared(hashtextextended($1, 0))', [key(service)]);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

export class ServiceRunningError extends Error {
  readonly code = 'FJC_REBUILD_SERVICE_RUNNING';
  constructor(readonly service: string) {
    super(`FJC_REBUILD_SERVICE_RUNNING: an instance of ${service} is running; stop every ${service} instance before rebuilding its tables`);
    this.name = 'ServiceRunningError';
  }
}

/** Holds `service` stopped (no instance runs, none starts) while `work` runs; ServiceRunningError when one runs. */
export async function whileServiceStopped<T>(pool: Pool, service: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const res = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [key(service)]);
    if (!res.rows[0]?.locked) throw new ServiceRunningError(service);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key(service)]);
    }
  } finally {
    client.release();
  }
}
