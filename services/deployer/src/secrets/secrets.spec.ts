import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactPolicySchema } from '@fjc/contracts';
import { FlinkProgramError } from '@fjc/flink-client';
import { carryOut } from '../actions/carry-out/carry-out';
import { fixture, testSpec } from '../testing/carry-out-fixture';
import { EnvSecretProvider, FileSecretProvider, secretProvidersFromEnv, secretVariableName } from './secret-providers';
import { redact, SecretResolver, withSecrets } from './secret-resolver';

const NEW = '0f9e8d7c6b5a49382716f5e4d3c2b1a0';
const deploy = (args: unknown[], envVars: Record<string, unknown> = {}) =>
  ({ kind: 'Deploy', flinkJobId: NEW, specVersion: 1, spec: testSpec({ args, env_vars: envVars }) }) as const;

describe('secret providers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fjc-secrets-'));
  mkdirSync(join(dir, 'orders-db'));
  writeFileSync(join(dir, 'orders-db', 'password'), 'hunter2\n');
  const outside = mkdtempSync(join(tmpdir(), 'fjc-outside-'));
  writeFileSync(join(outside, 'other'), 'not yours');
  symlinkSync(join(outside, 'other'), join(dir, 'escape'));

  it('reads a file under the directory, without its one trailing newline', async () => {
    expect(await new FileSecretProvider(dir).read('orders-db/password')).toBe('hunter2');
    expect(await new FileSecretProvider(dir).read('orders-db/missing')).toBeUndefined();
    expect(await new FileSecretProvider(dir).read('orders-db')).toBeUndefined(); // a directory
  });

  it('does not follow a symlink out of the directory', async () => {
    expect(await new FileSecretProvider(dir).read('escape')).toBeUndefined();
  });

  it('names the variable of a reference: upper case, other characters as "_"', async () => {
    expect(secretVariableName('orders-db/password')).toBe('FJC_SECRET_ORDERS_DB_PASSWORD');
    expect(await new EnvSecretProvider({ FJC_SECRET_ORDERS_DB_PASSWORD: 'x' }).read('orders-db/password')).toBe('x');
  });

  it('asks files first, then variables', async () => {
    const resolver = new SecretResolver(secretProvidersFromEnv({ FJC_SECRETS_DIR: dir, FJC_SECRET_ORDERS_DB_PASSWORD: 'from-env', FJC_SECRET_ORDERS_DB_API_TOKEN: 't' }));
    const resolved = await resolver.resolve('orders-db', ['orders-db/api/token', 'orders-db/password']);
    expect(resolved.ok && [...resolved.values]).toEqual([
      ['orders-db/api/token', 't'],
      ['orders-db/password', 'hunter2'],
    ]);
  });

  it('fails a missing reference with FJC_SECRET_NOT_FOUND naming it and where it was looked for', async () => {
    const resolver = new SecretResolver(secretProvidersFromEnv({ FJC_SECRETS_DIR: dir }));
    expect(await resolver.resolve('orders-db', ['orders-db/nope'])).toEqual({
      ok: false,
      code: 'FJC_SECRET_NOT_FOUND',
      message: 'secret orders-db/nope was not found (looked for: file orders-db/nope under FJC_SECRETS_DIR, variable FJC_SECRET_ORDERS_DB_NOPE)',
      retryable: false,
    });
  });

  it('refuses a reference outside the namespace before asking any provider, unless the policy grants its prefix', async () => {
    const read = jest.fn(async () => 'value');
    const provider = { read, where: (ref: string) => ref };
    const open = new SecretResolver([provider]);
    expect(await open.resolve('team-a', ['team-a/db', 'team-b/db/password'])).toEqual({
      ok: false,
      code: 'FJC_SECRET_OUT_OF_NAMESPACE',
      message: 'secret team-b/db/password is outside namespace team-a (allowed: team-a/...)',
      retryable: false,
    });
    expect(await open.resolve('team-a', ['team-ab/db'])).toMatchObject({ ok: false, code: 'FJC_SECRET_OUT_OF_NAMESPACE' });
    expect(read).not.toHaveBeenCalled();
    const granted = new SecretResolver([provider], ArtifactPolicySchema.parse({ secret_prefixes: { 'team-a': ['shared/kafka'] } }));
    expect(await granted.resolve('team-a', ['team-a/db', 'shared/kafka/password'])).toMatchObject({ ok: true });
    expect(await granted.resolve('team-a', ['shared/other'])).toMatchObject({ ok: false, code: 'FJC_SECRET_OUT_OF_NAMESPACE' });
  });

  it('puts values into the arguments and takes them out of text again', () => {
    const values = new Map([['a', 'abc'], ['b', 'abcdef']]);
    expect(withSecrets(['--x', { secretRef: 'a' }], values)).toEqual(['--x', 'abc']);
    expect(redact('got abcdef and abc', values)).toBe('got [secret b] and [secret a]');
  });
});

describe('a deploy with secret references', () => {
  it('sends the resolved value to Flink as the argument', async () => {
    const f = fixture({ secretEnv: { FJC_SECRET_DEFAULT_CANARY_NAME: 'v4lue' } });
    expect(await carryOut(f.ctx, deploy(['--name', { secretRef: 'default/canary/name' }]))).toMatchObject({ ok: true });
    expect(f.flink.jobs.get(NEW)?.request.programArgsList).toEqual(['--name', 'v4lue']);
  });

  it('fails before any upload or run when a reference (in args or env_vars) has no secret', async () => {
    const f = fixture({ secretEnv: { FJC_SECRET_DEFAULT_CANARY_NAME: 'v4lue' } });
    const outcome = await carryOut(f.ctx, deploy(['--name', { secretRef: 'default/canary/name' }], { DB_PASSWORD: { secretRef: 'default/db/password' } }));
    expect(outcome).toMatchObject({ ok: false, code: 'FJC_SECRET_NOT_FOUND', retryable: false });
    expect(!outcome.ok && outcome.message).toContain('db/password');
    expect(f.flink.count('uploadJar') + f.flink.count('runJar')).toBe(0);
  });

  it('fails terminally with FJC_SECRET_OUT_OF_NAMESPACE, before any upload, for a reference of another namespace', async () => {
    const f = fixture({ secretEnv: { FJC_SECRET_ORDERS_DB_PASSWORD: 'theirs' } });
    const outcome = await carryOut(f.ctx, deploy(['--name', { secretRef: 'orders-db/password' }]));
    expect(outcome).toMatchObject({ ok: false, code: 'FJC_SECRET_OUT_OF_NAMESPACE', retryable: false });
    expect(JSON.stringify(outcome)).not.toContain('theirs');
    expect(f.flink.count('uploadJar') + f.flink.count('runJar')).toBe(0);
  });

  it('keeps a resolved value out of the failure when Flink quotes it back', async () => {
    const f = fixture({ secretEnv: { FJC_SECRET_DEFAULT_CANARY_NAME: 'v4lue' } });
    const flink = Object.assign(Object.create(f.ctx.flink) as typeof f.ctx.flink, {
      runJar: async () => Promise.reject(new FlinkProgramError('main() failed for arguments [--name, v4lue]')),
    });
    const ctx = { ...f.ctx, flink };
    expect(await carryOut(ctx, deploy(['--name', { secretRef: 'default/canary/name' }]))).toEqual({
      ok: false,
      code: 'FJC_FLINK_PROGRAM_INVALID',
      message: 'main() failed for arguments [--name, [secret default/canary/name]]',
      retryable: false,
    });
  });
});
