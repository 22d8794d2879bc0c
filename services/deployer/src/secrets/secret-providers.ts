// Where the deployer finds the secrets a spec refers to ({secretRef: "orders-db/password"}).
// Providers are asked in order; the first that has the secret wins. Values are read at submit
// time and held only for the run request: nothing here logs, stores or returns them in errors,
// and failures name the reference and where it was looked for, never a value.
// A HashiCorp Vault (KV v2) provider would implement SecretProvider too; none is built, as no
// Vault runs in this project's tests.
import { realpath, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

export const SECRET_RESOLVER = Symbol('SECRET_RESOLVER');

export interface SecretProvider {
  /** Where this provider looks for a reference, for error messages ("FJC_SECRET_ORDERS_DB_PASSWORD"). */
  where(ref: string): string;
  /** The value, or undefined when this provider does not have the secret. */
  read(ref: string): Promise<string | undefined>;
}

/**
 * Files under a directory, as Kubernetes mounts a Secret: the value of `orders-db/password` is
 * the content of `<dir>/orders-db/password`, without one trailing newline (files written with
 * `echo` end with one). The real path must stay inside the directory, so a symlink cannot lead
 * out of it (Kubernetes' own `..data` links point inside, and are allowed).
 */
export class FileSecretProvider implements SecretProvider {
  constructor(private readonly dir: string) {}

  where(ref: string): string {
    return `file ${ref} under FJC_SECRETS_DIR`;
  }

  async read(ref: string): Promise<string | undefined> {
    try {
      const root = await realpath(this.dir);
      const file = await realpath(join(root, ref));
      if (!file.startsWith(root + sep)) return undefined;
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw new SecretReadError(ref, (err as NodeJS.ErrnoException).code ?? 'unknown error');
    }
  }
}

/** The variable FJC_SECRET_<NAME> holds `ref`: upper case, every character but A-Z and 0-9 as "_". */
export function secretVariableName(ref: string): string {
  return `FJC_SECRET_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Environment variables of the deployer process: FJC_SECRET_ORDERS_DB_PASSWORD for orders-db/password. */
export class EnvSecretProvider implements SecretProvider {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  where(ref: string): string {
    return `variable ${secretVariableName(ref)}`;
  }

  async read(ref: string): Promise<string | undefined> {
    return this.env[secretVariableName(ref)];
  }
}

/** A provider could not read a secret it may have (permissions, I/O): says which reference and why, never a value. */
export class SecretReadError extends Error {
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(`secret ${ref} could not be read (${reason})`);
    this.name = 'SecretReadError';
  }
}

/** The providers the deployer's environment configures: files when FJC_SECRETS_DIR is set, then FJC_SECRET_* variables. */
export function secretProvidersFromEnv(env: NodeJS.ProcessEnv = process.env): SecretProvider[] {
  const dir = env.FJC_SECRETS_DIR?.trim();
  return [...(dir ? [new FileSecretProvider(dir)] : []), new EnvSecretProvider(env)];
}
