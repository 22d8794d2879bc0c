// One circuit breaker per Flink cluster (cockatiel): after `threshold` calls in a row fail
// because the cluster is unreachable (FlinkUnavailableError: connection refused or reset,
// timeouts, 502/503/504, a broken answer), every call to that cluster fails at once with
// BrokenCircuitError for `halfOpenAfterMs`; then one trial call decides whether it closes again.
// An outage of one cluster so costs a bounded number of calls, and other clusters never notice.
// A refused TLS handshake (FlinkTlsError: a wrong CA) counts too: it is never retried, but the
// observation rounds would otherwise knock on that cluster every interval until an operator fixes it.
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleType, type CircuitBreakerPolicy } from 'cockatiel';
import { FlinkTlsError, FlinkUnavailableError } from '@fjc/flink-client';
import { FLINK_CLIENT_METHODS, type FlinkClient } from './flink-port';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ClusterBreakerOptions {
  readonly threshold: number;
  readonly halfOpenAfterMs: number;
  readonly onStateChange?: (state: BreakerState) => void;
  readonly now?: () => number;
}

export class ClusterBreaker {
  readonly policy: CircuitBreakerPolicy;
  private openedAt: number | null = null;

  constructor(private readonly opts: ClusterBreakerOptions) {
    this.policy = circuitBreaker(handleType(FlinkUnavailableError).orType(FlinkTlsError), { halfOpenAfter: opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.threshold) });
    this.policy.onStateChange((s) => {
      const state = stateName(s);
      this.openedAt = state === 'open' ? this.now() : null;
      opts.onStateChange?.(state);
    });
  }

  get state(): BreakerState {
    return stateName(this.policy.state);
  }

  /** While open: when a trial call may go through; null when calls go through now. */
  blockedUntil(): number | null {
    if (this.openedAt === null || this.policy.state !== CircuitState.Open) return null;
    const until = this.openedAt + this.opts.halfOpenAfterMs;
    return until > this.now() ? until : null;
  }

  /** The client with every call through this breaker. */
  wrap(client: FlinkClient): FlinkClient {
    const wrapped: Record<string, unknown> = {};
    for (const call of FLINK_CLIENT_METHODS) {
      const fn = client[call] as (...args: unknown[]) => Promise<unknown>;
      wrapped[call] = (...args: unknown[]) => this.policy.execute(() => fn.apply(client, args));
    }
    return wrapped as unknown as FlinkClient;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

function stateName(s: CircuitState): BreakerState {
  return s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half-open' : 'open';
}
