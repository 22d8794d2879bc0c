import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clustersFromEnv, ClusterConfigError } from './cluster-settings';

describe('clustersFromEnv', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = (env: Record<string, string>) => {
    try {
      clustersFromEnv(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ClusterConfigError);
      expect((err as ClusterConfigError).code).toBe('FJC_CLUSTERS_CONFIG');
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fjc-clusters-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to one cluster named default at FLINK_REST_URL, or the local one', () => {
    expect(clustersFromEnv({})).toEqual({ default: { url: 'http://127.0.0.1:8081', options: { cluster: 'default' } } });
    expect(clustersFromEnv({ FLINK_REST_URL: 'http://flink:8081' }).default?.url).toBe('http://flink:8081');
  });

  it('reads name=url pairs from FJC_CLUSTERS (the short form), which wins over FLINK_REST_URL', () => {
    expect(clustersFromEnv({ FJC_CLUSTERS: 'default=http://a:8081, analytics=https://b', FLINK_REST_URL: 'http://ignored' })).toEqual({
      default: { url: 'http://a:8081', options: { cluster: 'default' } },
      analytics: { url: 'https://b', options: { cluster: 'analytics' } },
    });
  });

  it.each([['default'], ['Default=http://a'], ['a=ftp://x'], ['a=http://x,a=http://y']])('refuses FJC_CLUSTERS=%s', (value) => {
    expect(refusal({ FJC_CLUSTERS: value })).toContain('FJC_CLUSTERS:');
  });

  it('reads the file form: TLS material from files, the authorization header from a file or a variable', () => {
    const ca = file('ca.pem', 'CA PEM');
    const cert = file('c.crt', 'CERT PEM');
    const key = file('c.key', 'KEY PEM');
    const auth = file('auth', 'Bearer from-a-file\n');
    const clusters = file(
      'clusters.yaml',
      `clusters:
  default:
    url: https://flink:8081
    tls: { ca_file: ${ca}, cert_file: ${cert}, key_file: ${key} }
    authorization: { file: ${auth} }
  analytics:
    url: https://proxy.example/flink
    tls: { ca_file: ${ca} }
    authorization: { env: PROXY_AUTH }
  local:
    url: http://127.0.0.1:8081
`,
    );
    expect(clustersFromEnv({ FJC_CLUSTERS_FILE: clusters, PROXY_AUTH: 'Basic from-env' })).toEqual({
      default: { url: 'https://flink:8081', options: { cluster: 'default', tls: { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' }, authorization: 'Bearer from-a-file' } },
      analytics: { url: 'https://proxy.example/flink', options: { cluster: 'analytics', tls: { ca: 'CA PEM' }, authorization: 'Basic from-env' } },
      local: { url: 'http://127.0.0.1:8081', options: { cluster: 'local' } },
    });
  });

  it('refuses both forms at once', () => {
    expect(refusal({ FJC_CLUSTERS_FILE: file('c.yaml', 'clusters: {}'), FJC_CLUSTERS: 'default=http://a' })).toContain('FJC_CLUSTERS_FILE and FJC_CLUSTERS are both set');
  });

  it.each([
    ['url: ftp://x', 'clusters.a.url: must be an http(s) URL'],
    ['url: http://x\n    tls: { ca_file: /ca.pem }', 'clusters.a.tls: tls needs an https:// url'],
    ['url: https://x\n    tls: { cert_file: /c.crt }', 'clusters.a.tls: cert_file and key_file go together'],
    ['url: https://x\n    authorization: { value: "Bearer secret" }', 'clusters.a.authorization: Unrecognized key: "value"'],
    ['url: https://x\n    authorization: {}', 'clusters.a.authorization: needs exactly one of file or env'],
    ['url: http://proxy:8081\n    authorization: { env: PROXY_AUTH }', 'clusters.a.authorization: would be sent in clear over an http:// url'],
    ['url: http://proxy:8081\n    authorization: { env: PROXY_AUTH }\n    allow_insecure_authorization: false', 'clusters.a.authorization: would be sent in clear'],
    ['url: https://x\n    tls: { ca_file: /nowhere/ca.pem }', 'clusters.a.tls.ca_file: cannot read /nowhere/ca.pem (ENOENT)'],
    ['url: https://x\n    authorization: { env: UNSET_AUTH }', 'clusters.a.authorization.env: UNSET_AUTH is empty or unset'],
  ])('names the field that is wrong: %s', (entry, message) => {
    const path = file('clusters.yaml', `clusters:\n  a:\n    ${entry}\n`);
    const text = refusal({ FJC_CLUSTERS_FILE: path });
    expect(text).toContain(`FJC_CLUSTERS_FILE (${path}): `);
    expect(text).toContain(message);
  });

  it('sends an authorization header over http:// only when allow_insecure_authorization: true says so', () => {
    const path = file('c.yaml', 'clusters:\n  a:\n    url: http://127.0.0.1:8081\n    authorization: { env: PROXY_AUTH }\n    allow_insecure_authorization: true\n');
    expect(clustersFromEnv({ FJC_CLUSTERS_FILE: path, PROXY_AUTH: 'Bearer x' })).toEqual({
      a: { url: 'http://127.0.0.1:8081', options: { cluster: 'a', authorization: 'Bearer x' } },
    });
  });

  it('refuses a file that is missing, not YAML, or lists no cluster', () => {
    expect(refusal({ FJC_CLUSTERS_FILE: join(dir, 'absent.yaml') })).toContain('cannot read');
    expect(refusal({ FJC_CLUSTERS_FILE: file('bad.yaml', 'clusters: [unclosed') })).toContain('not valid YAML');
    expect(refusal({ FJC_CLUSTERS_FILE: file('empty.yaml', 'clusters: {}') })).toContain('clusters: lists no cluster');
    expect(refusal({ FJC_CLUSTERS_FILE: file('name.yaml', 'clusters:\n  Bad_Name: { url: http://x }') })).toContain('clusters.Bad_Name: a cluster name is lowercase');
  });

  it('never puts the authorization value into an error', () => {
    const auth = file('auth', 'Bearer s3cret\nsecond line');
    const text = refusal({ FJC_CLUSTERS_FILE: file('c.yaml', `clusters:\n  a: { url: https://x, authorization: { file: ${auth} } }\n`) });
    expect(text).toContain('clusters.a.authorization.file: the header value must be one line');
    expect(text).not.toContain('s3cret');
  });
});
