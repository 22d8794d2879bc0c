// Readiness: a service is ready only when every registered dependency check passes
// (a joined consumer group, a reachable database, ...). Liveness never depends on these.
import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, { readonly ok: boolean; readonly error?: string }>;
}

@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    for (const [name, check] of this.checks) {
      try {
        await check();
        checks[name] = { ok: true };
      } catch (err) {
        checks[name] = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
