// What the outage tests share: a running FJC with an upstream client (a plain kafkajs producer
// and a consumer of the command results and the DLQ) and a readiness watch that polls every
// service's /health/ready through an outage; a burst of upstream commands and the check that each
// got exactly one accepted result; and a service started while a dependency is down.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { eventually, ServiceProcess, stackEnv, uniqueSuffix, type FjcServiceName } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../../support/system';

export interface CommandResult {
  readonly commandId: string;
  readonly jobId: string;
  readonly status: string;
  readonly version?: number;
}

/** An upstream system on the world's topics: sends commands, collects results and dead letters.
 *  Its client retries for long, so it rides out a broker outage as a real upstream would. */
export class Upstream {
  readonly results: CommandResult[] = [];
  readonly deadLetters: string[] = [];
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private lastCrashAt = 0;
  private lastJoinAt = 0;

  constructor(private readonly fjc: FjcSystem) {
    this.kafka = new Kafka({ clientId: `upstream-${uniqueSuffix()}`, brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 5_000 } });
  }

  private topic(suffix: string): string {
    return `${this.fjc.world.topicPrefix}${suffix}`;
  }

  async start(): Promise<void> {
    this.producer = this.kafka.producer();
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `upstream-${uniqueSuffix()}` });
    // kafkajs restarts a crashed consumer even after disconnect(): stop() waits for the rejoin first.
    this.consumer.on(this.consumer.events.CRASH, () => (this.lastCrashAt = Date.now()));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.lastJoinAt = Date.now()));
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic('spec.command-results'), this.topic('dlq')], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === this.topic('dlq')) this.deadLetters.push(String(message.value));
        else this.results.push(JSON.parse(String(message.value)) as CommandResult);
      },
    });
  }

  async stop(): Promise<void> {
    await eventually('the upstream consumer joined after its last crash', async () => this.lastJoinAt >= this.lastCrashAt, (ok) => ok, { timeoutMs: 60_000, intervalMs: 200 }).catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** ApplySpec commands for nightly cron batch jobs (nothing runs in Flink before 02:00): `jobs`
   *  jobs, each applied `versions` times with a changed label. Returns the command ids in order. */
  commands(jobs: number, versions: number): Array<Record<string, unknown> & { commandId: string; jobId: string }> {
    const out: Array<Record<string, unknown> & { commandId: string; jobId: string }> = [];
    const run = uniqueSuffix();
    for (let v = 1; v <= versions; v++) {
      for (let j = 0; j < jobs; j++) {
        const jobId = `burst-${run}-${j}`;
        const spec = exampleSpec('batch-cron.yaml', jobId, (s) => ((s.labels as Record<string, string>).round = String(v)));
        out.push({ commandId: randomUUID(), type: 'ApplySpec', jobId, spec });
      }
    }
    return out;
  }

  async send(commands: ReadonlyArray<{ commandId: string; jobId: string }>): Promise<void> {
    if (!this.producer) throw new Error('upstream not started');
    await this.producer.send({
      topic: this.topic('spec.commands'),
      messages: commands.map((c) => ({ key: c.jobId, value: JSON.stringify(c), headers: { authorization: `Bearer ${this.fjc.world.adminToken}` } })),
    });
  }

  /** Waits until every command has a result; returns the distinct results per command id. */
  async resultsFor(commandIds: readonly string[], timeoutMs = 240_000): Promise<Map<string, Set<string>>> {
    const byCommand = () => {
      const map = new Map<string, Set<string>>();
      for (const r of this.results) map.set(r.commandId, (map.get(r.commandId) ?? new Set()).add(JSON.stringify(r)));
      return map;
    };
    await eventually(`results for ${commandIds.length} commands`, async () => byCommand(), (m) => commandIds.every((id) => m.has(id)), { timeoutMs, intervalMs: 500 });
    return byCommand();
  }
}

export interface ReadinessSample {
  readonly at: number;
  readonly service: string;
  readonly ready: boolean;
  readonly unavailable: readonly string[];
}

/** Polls /health/ready of every service of the system until stopped. */
export class ReadinessWatch {
  readonly samples: ReadinessSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly fjc: FjcSystem, intervalMs = 250) {
    this.loop = (async () => {
      while (this.running) {
        await Promise.all([...fjc.services.entries()].map(([name, svc]) => this.sample(name, svc.url)));
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
  }

  private async sample(service: string, url: string): Promise<void> {
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as { unavailable?: string[] };
      this.samples.push({ at: Date.now(), service, ready: res.ok, unavailable: body.unavailable ?? [] });
    } catch {
      this.samples.push({ at: Date.now(), service, ready: false, unavailable: ['no answer'] });
    }
  }

  /** Services that said "not ready because of `dependency`" between from and to. */
  notReadyBetween(dependency: string, from: number, to: number): Set<string> {
    return new Set(this.samples.filter((s) => s.at >= from && s.at <= to && !s.ready && s.unavailable.includes(dependency)).map((s) => s.service));
  }

  /** Waits until every service said ready after `since`. */
  async allReadyAfter(since: number, timeoutMs = 120_000): Promise<void> {
    const names = [...this.fjc.services.keys()];
    await eventually(
      'every service ready again',
      async () => names.filter((n) => !this.samples.some((s) => s.service === n && s.at > since && s.ready)),
      (missing) => missing.length === 0,
      { timeoutMs, intervalMs: 250 },
    );
  }

  /** Waits until every service said not ready because of `dependency` after `since`. */
  async allNotReadyAfter(dependency: string, since: number, timeoutMs = 30_000): Promise<void> {
    const names = [...this.fjc.services.keys()];
    await eventually(
      `every service not ready because of ${dependency}`,
      async () => names.filter((n) => !this.notReadyBetween(dependency, since, Date.now()).has(n)),
      (missing) => missing.length === 0,
      { timeoutMs, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Services whose process exited. */
export function exitedServices(fjc: FjcSystem): string[] {
  return [...fjc.services.entries()].filter(([, svc]) => svc.exited).map(([name]) => name);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running FJC, an upstream system on its topics and a readiness watch over its services. */
export class OutageWorld {
  private constructor(
    readonly fjc: FjcSystem,
    readonly upstream: Upstream,
    readonly watch: ReadinessWatch,
  ) {}

  static async start(): Promise<OutageWorld> {
    // Fewer partitions than the default 12: a broker restarted on a busy machine recovers sooner.
    const fjc = await FjcSystem.start({ env: { FJC_TOPIC_PARTITIONS: '4' } });
    const upstream = new Upstream(fjc);
    await upstream.start();
    return new OutageWorld(fjc, upstream, new ReadinessWatch(fjc));
  }

  async stop(): Promise<void> {
    await this.watch.stop();
    await this.upstream.stop();
    await this.fjc.stop();
  }

  /** Every command of a burst made by `Upstream.commands(50, 4)` got exactly one (distinct)
   *  result, accepted, versions 1..4 per job in order; nothing was dead-lettered; the read model
   *  holds the last version. */
  async expectBurstAppliedOnce(commands: ReadonlyArray<{ commandId: string; jobId: string }>, timeoutMs?: number): Promise<void> {
    const results = await this.upstream.resultsFor(
      commands.map((c) => c.commandId),
      timeoutMs,
    );
    for (const c of commands) expect([...(results.get(c.commandId) ?? [])].length).toBe(1);
    const accepted = commands.map((c) => JSON.parse([...(results.get(c.commandId) ?? [])][0] ?? 'null') as { status: string; version: number });
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);
    expect(accepted.map((r) => r.version)).toEqual(commands.map((_, i) => Math.floor(i / 50) + 1));
    expect(results.size).toBe(commands.length);
    expect(exitedServices(this.fjc)).toEqual([]);
    await sleep(3_000); // a dead letter would arrive meanwhile
    expect(this.upstream.deadLetters).toEqual([]);
    const job = await this.fjc.job(commands[commands.length - 1].jobId);
    expect(job.version).toBe(4);
  }

  /** Every service said "not ready: `dependency`" between `from` and `to`. */
  expectAllNotReady(dependency: string, from: number, to: number): void {
    expect([...this.watch.notReadyBetween(dependency, from, to)].sort()).toEqual([...this.fjc.services.keys()].sort());
  }

  /** A `service` started while `dependency` is down (`takeDown`) logs FJC_DEPENDENCY_WAITING
   *  within `waitingWithinMs` instead of exiting, and is ready once `bringUp` has run. */
  async expectLateStartWaits(
    service: FjcServiceName,
    dependency: string,
    takeDown: () => Promise<void>,
    bringUp: () => Promise<void>,
    timeouts: { startMs: number; waitingWithinMs: number },
  ): Promise<void> {
    const late = new ServiceProcess(service, this.fjc.world.env, 2);
    await takeDown();
    try {
      const starting = late.start(timeouts.startMs);
      starting.catch(() => undefined);
      const waiting = new RegExp(`FJC_DEPENDENCY_WAITING.*${dependency}|${dependency}.*FJC_DEPENDENCY_WAITING`);
      await eventually('a FJC_DEPENDENCY_WAITING line', async () => late.logs(200), (l) => waiting.test(l), { timeoutMs: timeouts.waitingWithinMs, intervalMs: 250 });
      expect(late.exited).toBe(false);
      await bringUp();
      await starting;
      expect((await fetch(`${late.url}/health/ready`)).status).toBe(200);
    } finally {
      await bringUp().catch(() => undefined);
      await late.stop();
    }
    expect(exitedServices(this.fjc)).toEqual([]);
  }
}
