// Readiness: a service is ready only when every registered dependency check passes
// (a joined consumer group, a reachable database, ...). Liveness never depends on these. A check
// that does not answer within its time fails (an unreachable dependency may hang, not refuse);
// `unavailable` names the failing checks (postgres, kafka, kafka-consumer).
import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  /** The names of the checks that failed, e.g. ['postgres']. */
  readonly unavailable: readonly string[];
  readonly checks: Record<string, { readonly ok: boolean; readonly error?: string }>;
}

@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** How long one check may take before it counts as failed. */
  checkTimeoutMs = 3_000;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} did not answer within ${this.checkTimeoutMs} ms`)), this.checkTimeoutMs)));
          await Promise.race([Promise.resolve().then(check), timeout]);
          checks[name] = { ok: true };
        } catch (err) {
          checks[name] = { ok: false, error: err instanceof Error ? err.message : String(err) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const unavailable = Object.keys(checks).filter((name) => !checks[name].ok).sort();
    return { ready: unavailable.length === 0, unavailable, checks };
  }
}
