// Readiness: a service is ready only when every registered dependency check passes
// (a joined consumer group, a reachable database, ...). Liveness never depends on these. A check
// that does not answer within its time fails (an unreachable dependency may hang, not refuse);
// `unavailable` names the failing checks (postgres, kafka, kafka-consumer). A check registered
// with `fatal: false` (the deployer's `flink`) is reported but never makes the service unready:
// a Flink outage must not take the service out of its load balancer, it is what it rides out.
import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  /** The names of the checks that failed, e.g. ['postgres']. */
  readonly unavailable: readonly string[];
  readonly checks: Record<string, { readonly ok: boolean; readonly error?: string; readonly fatal?: false }>;
}

@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly nonFatal = new Set<string>();

  /** How long one check may take before it counts as failed. */
  checkTimeoutMs = 3_000;

  private startedAt: Date | null = null;

  /** The start is over (dependencies waited for, consumers subscribed, HTTP listening): the
   *  startup probe answers 200 from now on, for good. */
  markStarted(): void {
    this.startedAt ??= new Date();
  }

  get started(): Date | null {
    return this.startedAt;
  }

  register(name: string, check: ReadinessCheck, options: { readonly fatal?: boolean } = {}): void {
    this.checks.set(name, check);
    if (options.fatal === false) this.nonFatal.add(name);
    else this.nonFatal.delete(name);
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, { ok: boolean; error?: string; fatal?: false }> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} did not answer within ${this.checkTimeoutMs} ms`)), this.checkTimeoutMs)));
          await Promise.race([Promise.resolve().then(check), timeout]);
          checks[name] = { ok: true, ...(this.nonFatal.has(name) ? { fatal: false as const } : {}) };
        } catch (err) {
          checks[name] = { ok: false, error: err instanceof Error ? err.message : String(err), ...(this.nonFatal.has(name) ? { fatal: false as const } : {}) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const unavailable = Object.keys(checks).filter((name) => !checks[name].ok).sort();
    return { ready: unavailable.every((name) => this.nonFatal.has(name)), unavailable, checks };
  }
}
