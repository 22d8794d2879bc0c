// A Flink REST fault proxy for the fault suite: an HTTP server on loopback in front of the real
// Flink REST API, whose behaviour can be switched while FJC runs:
//   pass     forward the request and its answer;
//   503      answer 503 Service Unavailable without asking Flink;
//   reset    forward the request, let Flink answer, then reset the connection without passing the
//            answer on (the call did happen; the caller does not know);
//   hang     accept the request and never answer (until the mode changes, or HANG_MAX_MS);
//   garbage  answer 200 with a body that is not JSON, without asking Flink.
// Bounded: loopback only, at most MAX_CONNECTIONS sockets, request bodies up to MAX_BODY_BYTES,
// hangs end after HANG_MAX_MS. Every request is counted by mode and by "METHOD /path".
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = 'pass' | '503' | 'reset' | 'hang' | 'garbage';

const MAX_CONNECTIONS = 64;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const HANG_MAX_MS = 120_000;

export interface ProxiedRequest {
  readonly at: number;
  readonly mode: FaultMode;
  readonly method: string;
  readonly path: string;
}

export class FlinkFaultProxy {
  mode: FaultMode = 'pass';
  /** When set, the mode applies only to requests whose "METHOD /path" matches; others pass. */
  only: RegExp | null = null;
  readonly requests: ProxiedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server, private readonly upstream: URL, readonly url: string) {}

  static async start(upstreamUrl: string): Promise<FlinkFaultProxy> {
    const upstream = new URL(upstreamUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(upstream.hostname)) throw new Error(`the fault proxy only fronts a loopback Flink, not ${upstream.host}`);
    let proxy: FlinkFaultProxy | null = null;
    const server = createServer((req, res) => proxy?.handle(req, res));
    server.maxConnections = MAX_CONNECTIONS;
    server.on('connection', (socket) => {
      proxy?.sockets.add(socket);
      socket.on('close', () => proxy?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FlinkFaultProxy(server, upstream, `http://127.0.0.1:${port}`);
    return proxy;
  }

  /** Switches the mode (for the requests `only` matches, or all); requests hanging in `hang` are released (their connection reset) on any change. */
  set(mode: FaultMode, only: RegExp | null = null): void {
    this.mode = mode;
    this.only = only;
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
  }

  /** Requests seen since `since` (epoch ms), optionally only those matching a "METHOD /path" pattern. */
  count(since = 0, pattern?: RegExp): number {
    return this.requests.filter((r) => r.at >= since && (pattern === undefined || pattern.test(`${r.method} ${r.path}`))).length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const mode = this.only === null || this.only.test(`${method} ${path}`) ? this.mode : 'pass';
    this.requests.push({ at: Date.now(), mode, method, path });
    if (this.requests.length > 100_000) this.requests.splice(0, 50_000);
    switch (mode) {
      case '503':
        req.resume();
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: ['Service temporarily unavailable (fault proxy)'] }));
        return;
      case 'garbage':
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' }).end('\u0000\u00ff<<garbage from the fault proxy>>{"not":');
        return;
      case 'hang': {
        req.resume();
        this.hanging.add(res);
        const timer = setTimeout(() => res.socket?.destroy(), HANG_MAX_MS);
        res.on('close', () => {
          clearTimeout(timer);
          this.hanging.delete(res);
        });
        return;
      }
      case 'pass':
      case 'reset':
        this.forward(req, res, mode === 'reset');
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, resetAfter: boolean): void {
    let size = 0;
    const out = httpRequest(
      { hostname: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
      (upstreamRes) => {
        if (resetAfter) {
          // Flink did the work and answered; the caller only sees its connection reset.
          upstreamRes.resume();
          upstreamRes.on('end', () => req.socket.resetAndDestroy());
          return;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    out.on('error', () => req.socket.destroy());
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        out.destroy();
        req.socket.destroy();
      }
    });
    req.pipe(out);
  }
}
