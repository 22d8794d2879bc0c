import { validateSpec } from './validate-spec';
import { literalSecrets, looksSecret, secretRefsOf } from './secret-ref';
import { streamSpec } from '../testing/spec-cases';

describe('looksSecret', () => {
  it.each(['DB_PASSWORD', 'db.password', 'apiToken', 'API_KEY', 'apikey', 'AWS_SECRET_ACCESS_KEY', 'kafka-credentials', 'passwd', 'SSL_KEY_PASSPHRASE'])('%s looks secret', (name) => {
    expect(looksSecret(name)).toBe(true);
  });

  it.each(['MONKEY', 'keys', 'TOKENIZER', 'DB_PASSWORD_FILE', 'tls.key.path', 'SECRETS_DIR', 'mode', 'PASSWORD_REF'])('%s does not', (name) => {
    expect(looksSecret(name)).toBe(false);
  });
});

describe('literal secrets in a spec', () => {
  const holders = (args: unknown[], envVars: Record<string, unknown> = {}, nonSecret: string[] = []) =>
    ({ args, env_vars: envVars, non_secret_keys: nonSecret }) as Parameters<typeof literalSecrets>[0];

  it('finds a flag\'s value in its "=" part or the next argument, and leaves references alone', () => {
    expect(literalSecrets(holders(['--password', 'x', '--token=y', '--api-key', { secretRef: 'k' }, '--key']))).toEqual([
      expect.objectContaining({ path: ['args', 1] }),
      expect.objectContaining({ path: ['args', 2] }),
    ]);
  });

  it('allows what non_secret_keys lists', () => {
    expect(literalSecrets(holders(['--key-by', 'user_id'], { SORT_KEY: 'date' }, ['--key-by', 'SORT_KEY']))).toEqual([]);
  });

  it('points the person to secretRef and non_secret_keys, without quoting the value', () => {
    const result = validateSpec({ ...streamSpec(), env_vars: { DB_PASSWORD: 'hunter2' } });
    expect(result.ok).toBe(false);
    const [error] = result.ok ? [] : result.errors;
    expect(error).toMatchObject({ path: 'env_vars.DB_PASSWORD', code: 'FJC_SPEC_LITERAL_SECRET' });
    expect(error.message).toContain('{secretRef: <name>}');
    expect(error.message).toContain('non_secret_keys');
    expect(error.message).not.toContain('hunter2');
  });

  it('lists every reference once', () => {
    expect(secretRefsOf({ args: [{ secretRef: 'b' }, 'x', { secretRef: 'a' }], env_vars: { A: { secretRef: 'b' }, B: 'y' } })).toEqual(['a', 'b']);
  });
});
