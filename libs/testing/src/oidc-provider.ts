// A real OpenID provider for tests that claim OIDC behaviour: oidc-provider (a certified
// implementation) in a child process on loopback, with clients that get JWT access tokens by the
// client-credentials grant. `rotateKeys()` restarts it on the same port and issuer with a new
// signing key, as a provider rotating its keys does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { freePort } from './service-process';

export interface OidcClient {
  readonly id: string;
  readonly secret: string;
  readonly groups?: readonly string[];
  /** Access token lifetime in seconds (default 300). */
  readonly ttl?: number;
}

const SCRIPT = join(__dirname, '..', 'oidc', 'provider-server.mjs');

export class TestOidcProvider {
  private child: ChildProcess | null = null;
  private keys: JWK[] = [];
  private output: string[] = [];

  private constructor(
    readonly port: number,
    readonly issuer: string,
    readonly audience: string,
    private readonly clients: readonly OidcClient[],
  ) {}

  /** `issuer`: defaults to the provider's own URL; another provider's URL makes a look-alike. */
  static async start(options: { clients: readonly OidcClient[]; audience: string; issuer?: string }): Promise<TestOidcProvider> {
    const port = await freePort();
    const provider = new TestOidcProvider(port, options.issuer ?? `http://127.0.0.1:${port}`, options.audience, options.clients);
    provider.keys = [await newSigningKey()];
    await provider.launch();
    return provider;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The kid the provider signs with now. */
  get currentKid(): string {
    return String(this.keys[0].kid);
  }

  /** An access token for the client, by the client-credentials grant; `resource` picks the audience. */
  async token(clientId: string, resource = this.audience): Promise<string> {
    const client = this.clients.find((c) => c.id === clientId);
    if (!client) throw new Error(`no client ${clientId}`);
    const res = await fetch(`${this.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, resource }).toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`token for ${clientId}: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** Signs with a new key from now on; the old one is no longer published. */
  async rotateKeys(): Promise<void> {
    await this.stop();
    this.keys = [await newSigningKey()];
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  private async launch(): Promise<void> {
    const child = spawn(process.execPath, [SCRIPT], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        OIDC_PORT: String(this.port),
        OIDC_ISSUER: this.issuer,
        OIDC_AUDIENCE: this.audience,
        OIDC_KEYS: JSON.stringify(this.keys),
        OIDC_CLIENTS: JSON.stringify(this.clients),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`OpenID provider not ready in 20 s:\n${this.output.join('')}`)), 20_000);
      child.stdout?.on('data', (d: Buffer) => {
        this.output.push(d.toString());
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`OpenID provider exited (${code}):\n${this.output.join('')}`));
      });
    });
  }
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `k-${Math.random().toString(36).slice(2, 10)}`, alg: 'RS256', use: 'sig' };
}
