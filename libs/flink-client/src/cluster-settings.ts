// The Flink session clusters FJC may act on, by name, and how to reach each: URL, TLS (a CA of
// the operator's, a client certificate for mutual TLS) and an Authorization header for a proxy in
// front of Flink. Two forms, one of them at a time:
//   FJC_CLUSTERS_FILE=/etc/fjc/clusters.yaml   the full form (below)
//   FJC_CLUSTERS=name=url,name=url             the short form: URLs only
// Neither: one cluster, "default", at FLINK_REST_URL. Every file is read once, at start; a
// setting that is wrong stops the process with FJC_CLUSTERS_CONFIG and the field's path. The
// file names secrets (a header value in a file or an environment variable), never holds them.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FlinkClientOptions } from './flink-rest-client';

export const CLUSTERS_ENV = { file: 'FJC_CLUSTERS_FILE', short: 'FJC_CLUSTERS', url: 'FLINK_REST_URL' } as const;

export class ClusterConfigError extends Error {
  readonly code = 'FJC_CLUSTERS_CONFIG';
  constructor(message: string) {
    super(`FJC_CLUSTERS_CONFIG: ${message}`);
    this.name = 'ClusterConfigError';
  }
}

/** One cluster, ready for a FlinkRestClient: `new FlinkRestClient(c.url, c.options)`. */
export interface ClusterConnection {
  readonly url: string;
  /** TLS material, authorization and the cluster's name (for errors); no timeout. */
  readonly options: FlinkClientOptions;
}

export type ClusterConnections = Readonly<Record<string, ClusterConnection>>;

const DEFAULT_FLINK_REST_URL = 'http://127.0.0.1:8081';
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const URL_FORM = /^https?:\/\/[^/]+/;

const ClusterFileEntry = z
  .strictObject({
    url: z.string().regex(URL_FORM, 'must be an http(s) URL'),
    tls: z
      .strictObject({
        ca_file: z.string().min(1).optional(),
        cert_file: z.string().min(1).optional(),
        key_file: z.string().min(1).optional(),
      })
      .refine((t) => (t.cert_file === undefined) === (t.key_file === undefined), 'cert_file and key_file go together (a client certificate and its key)')
      .optional(),
    authorization: z
      .strictObject({
        file: z.string().min(1).optional(),
        env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
      })
      .refine((a) => (a.file === undefined) !== (a.env === undefined), 'needs exactly one of file or env (the header value itself never goes in this file)')
      .optional(),
    /** Send the authorization header over plain http:// anyway (a proxy on the same host or a trusted link). */
    allow_insecure_authorization: z.boolean().optional(),
  })
  .refine((c) => c.tls === undefined || c.url.startsWith('https://'), { message: 'tls needs an https:// url', path: ['tls'] })
  .refine((c) => c.authorization === undefined || c.url.startsWith('https://') || c.allow_insecure_authorization === true, {
    message: 'would be sent in clear over an http:// url; use https://, or set allow_insecure_authorization: true for a link you trust',
    path: ['authorization'],
  });

const ClusterFile = z.strictObject({
  clusters: z.record(z.string(), ClusterFileEntry).superRefine((clusters, ctx) => {
    const names = Object.keys(clusters);
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no cluster' });
    for (const name of names.filter((n) => !NAME.test(n))) ctx.addIssue({ code: 'custom', path: [name], message: 'a cluster name is lowercase letters, digits and "-" (like "default")' });
  }),
});

type Env = Readonly<Record<string, string | undefined>>;

/** The configured clusters; throws ClusterConfigError naming the variable or field that is wrong. */
export function clustersFromEnv(env: Env = process.env): ClusterConnections {
  const file = env[CLUSTERS_ENV.file]?.trim();
  const short = env[CLUSTERS_ENV.short]?.trim();
  if (file && short) throw new ClusterConfigError(`${CLUSTERS_ENV.file} and ${CLUSTERS_ENV.short} are both set; use one (the file is the full form)`);
  if (file) return clustersFromFile(file, env);
  if (short) return clustersFromShortForm(short);
  return { default: plain('default', env[CLUSTERS_ENV.url] ?? DEFAULT_FLINK_REST_URL) };
}

function plain(name: string, url: string): ClusterConnection {
  return { url, options: { cluster: name } };
}

function clustersFromShortForm(raw: string): ClusterConnections {
  const clusters: Record<string, ClusterConnection> = {};
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = at < 0 ? '' : entry.slice(0, at).trim();
    const url = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!NAME.test(name)) throw new ClusterConfigError(`${CLUSTERS_ENV.short}: "${entry}" must be name=url with a name like "default"`);
    if (!URL_FORM.test(url)) throw new ClusterConfigError(`${CLUSTERS_ENV.short}: cluster "${name}" needs an http(s) URL, got "${url}"`);
    if (name in clusters) throw new ClusterConfigError(`${CLUSTERS_ENV.short}: cluster "${name}" is listed twice`);
    clusters[name] = plain(name, url);
  }
  return clusters;
}

function clustersFromFile(path: string, env: Env): ClusterConnections {
  const where = `${CLUSTERS_ENV.file} (${path})`;
  let doc: unknown;
  try {
    doc = parseYaml(readText(path, where));
  } catch (err) {
    if (err instanceof ClusterConfigError) throw err;
    throw new ClusterConfigError(`${where}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ClusterFile.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClusterConfigError(`${where}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`);
  }
  const out: Record<string, ClusterConnection> = {};
  for (const [name, c] of Object.entries(parsed.data.clusters)) {
    const field = (f: string) => `${where}: clusters.${name}.${f}`;
    const read = (f: string, file: string | undefined) => (file === undefined ? undefined : readText(file, field(f)));
    const tls = c.tls && { ca: read('tls.ca_file', c.tls.ca_file), cert: read('tls.cert_file', c.tls.cert_file), key: read('tls.key_file', c.tls.key_file) };
    out[name] = {
      url: c.url,
      options: {
        cluster: name,
        ...(tls ? { tls: dropUndefined(tls) } : {}),
        ...(c.authorization ? { authorization: authorizationValue(c.authorization, env, field) } : {}),
      },
    };
  }
  return out;
}

function authorizationValue(a: { file?: string; env?: string }, env: Env, field: (f: string) => string): string {
  const value = a.file !== undefined ? readText(a.file, field('authorization.file')).trim() : (env[a.env as string] ?? '').trim();
  // The value is a secret: errors name where it should come from, never what was found.
  if (value === '') throw new ClusterConfigError(`${a.file !== undefined ? field('authorization.file') : `${field('authorization.env')}: ${a.env}`} is empty or unset`);
  if (/[\r\n]/.test(value)) throw new ClusterConfigError(`${field(a.file !== undefined ? 'authorization.file' : 'authorization.env')}: the header value must be one line`);
  return value;
}

function readText(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClusterConfigError(`${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
