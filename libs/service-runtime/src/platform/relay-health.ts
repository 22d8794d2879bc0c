// The relay's readiness check: the relay cannot publish when its last pass failed, or when no
// pass has completed within a bound while events wait to be published (a pass hung on Kafka).
// Pure apart from the backlog question, which the caller answers (PostgreSQL).
import type { PassReport } from '../polling-loop';

export interface RelayHealthOptions {
  /** No completed pass for this long, with a backlog, is a stalled relay. */
  readonly stallMs: number;
  /** Whether events wait after the relay's checkpoint. */
  readonly hasBacklog: () => Promise<boolean>;
  readonly now?: () => number;
}

export class RelayHealth {
  private lastFailure: { at: Date; failures: number } | null = null;
  private lastPassAt: number;
  private readonly now: () => number;

  constructor(private readonly options: RelayHealthOptions) {
    this.now = options.now ?? Date.now;
    this.lastPassAt = this.now();
  }

  onPass(report: PassReport): void {
    this.lastPassAt = this.now();
    if (report.ok) this.lastFailure = null;
    else this.lastFailure = { at: this.lastFailure?.at ?? new Date(this.lastPassAt), failures: report.failures };
  }

  /** Throws (the readiness check fails) when the relay cannot publish. */
  async check(): Promise<void> {
    if (this.lastFailure) throw new Error(`relay failing: ${this.lastFailure.failures} pass(es) in a row since ${this.lastFailure.at.toISOString()} (FJC_RELAY_RETRY in the log)`);
    const idleMs = this.now() - this.lastPassAt;
    if (idleMs > this.options.stallMs && (await this.options.hasBacklog())) {
      throw new Error(`relay stalled: no pass completed for ${Math.round(idleMs / 1000)} s while events wait to be published`);
    }
  }
}

/** No completed relay pass for this long, with events waiting, fails readiness. */
export const RELAY_STALL_MS = 30_000;

/** Whether the log holds events after the relay's checkpoint (all of it when it has none yet). */
export async function relayHasBacklog(pool: { query<R>(sql: string, params: unknown[]): Promise<{ rows: R[] }> }, relayName: string): Promise<boolean> {
  const res = await pool.query<{ waiting: boolean }>(
    `select exists(
       select 1 from event_log e left join log_checkpoint c on c.name = $1
        where c.name is null or (e.tx_id, e.position) > (c.tx_id, c.position)) as waiting`,
    [relayName],
  );
  return res.rows[0]?.waiting === true;
}
