// Secret references: a spec names a secret ({secretRef: "orders-db/password"}) instead of
// containing it, so the spec, and every record FJC keeps of it (event log, Kafka, dead
// letters, API answers), holds only the name. The deployer resolves the name when it submits.
// An object rather than a token inside strings ("${secret:...}"): a program argument may
// legitimately contain any text, so no string syntax is free to take, and an object needs no
// escaping rules. And a literal value under a name that looks secret is refused, so a password
// pasted into a spec never reaches the append-only log.
import { z } from 'zod';
import { patternText } from './field-types';
import type { PathSegment } from './field-path';
import { fieldKinds } from './schema-walk';

/** Segments of letters, digits, "_", "." and "-" joined by "/"; no segment starts with "." (so
 *  no "..", no hidden files, no Kubernetes "..data" links). Usable as a relative file path. */
export const SECRET_REF_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}(\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}){0,7}$/;

export const SecretRefSchema = z
  .strictObject({
    secretRef: patternText(
      SECRET_REF_PATTERN,
      'FJC_SPEC_INVALID_FORMAT',
      'must name a secret: up to 8 segments of letters, digits, "_", "." or "-" joined by "/", none starting with "."',
    ),
  })
  .register(fieldKinds, { kind: 'secret reference' })
  .meta({ description: 'A secret the deployer resolves at submit time; only this name is stored.' });
export type SecretRef = z.output<typeof SecretRefSchema>;

/** A spec value that is either written out or a reference to a secret. */
export const SecretOrTextSchema = z.union([z.string(), SecretRefSchema]);
export type SecretOrText = z.output<typeof SecretOrTextSchema>;

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && typeof (value as { secretRef?: unknown }).secretRef === 'string';
}

/** Words of a name as people split them: DB_PASSWORD, --api-key, apiToken, db.password. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'credential', 'credentials', 'secrets', 'tokens']);
/** A name ending in one of these holds where a secret is, not the secret (DB_PASSWORD_FILE). */
const LOCATION_WORDS = new Set(['file', 'path', 'dir', 'ref']);

/**
 * Whether a name looks like it holds a secret: one of its words is PASSWORD, SECRET, TOKEN, KEY
 * or CREDENTIAL (and a few spellings of them), case-insensitive. Whole words, so `--keys` and
 * MONKEY are not secret-looking; a name ending in FILE, PATH, DIR or REF is not either.
 */
export function looksSecret(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || LOCATION_WORDS.has(words[words.length - 1])) return false;
  return words.some((word) => SECRET_WORDS.has(word));
}

export interface LiteralSecret {
  /** Where the literal is: ['env_vars', 'DB_PASSWORD'], ['args', 3]. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

interface SecretHolders {
  readonly args: readonly SecretOrText[];
  readonly env_vars: Readonly<Record<string, SecretOrText>>;
  readonly non_secret_keys: readonly string[];
}

const pointer = (name: string): string =>
  `holds a literal value under "${name}", which looks like a secret: refer to it with {secretRef: <name>} so only the name is stored, or list "${name}" in non_secret_keys if it is not a secret`;

// A flag of a program argument: "--password", "-token", "--db.password=...".
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)(=([\s\S]*))?$/;

/** Literal values under secret-looking names in env_vars and args (a flag's value: its "=" part or the next argument). */
export function literalSecrets(spec: SecretHolders): LiteralSecret[] {
  const allowed = new Set(spec.non_secret_keys);
  const found: LiteralSecret[] = [];
  for (const [name, value] of Object.entries(spec.env_vars)) {
    if (typeof value === 'string' && value !== '' && looksSecret(name) && !allowed.has(name)) {
      found.push({ path: ['env_vars', name], message: pointer(name) });
    }
  }
  spec.args.forEach((arg, i) => {
    const flag = typeof arg === 'string' ? FLAG.exec(arg) : null;
    if (flag === null || typeof arg !== 'string') return;
    const name = arg.split('=')[0];
    if (!looksSecret(flag[1]) || allowed.has(name)) return;
    const next = spec.args[i + 1];
    if (flag[3] !== undefined) {
      if (flag[3] !== '') found.push({ path: ['args', i], message: pointer(name) });
    } else if (typeof next === 'string' && next !== '' && !next.startsWith('-')) {
      found.push({ path: ['args', i + 1], message: pointer(name) });
    }
  });
  return found;
}

/** Every secret reference of a spec, once each, sorted. */
export function secretRefsOf(spec: Pick<SecretHolders, 'args' | 'env_vars'>): string[] {
  const refs = new Set<string>();
  for (const value of [...spec.args, ...Object.values(spec.env_vars)]) if (isSecretRef(value)) refs.add(value.secretRef);
  return [...refs].sort();
}
