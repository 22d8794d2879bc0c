// What a handler learns about the message it is handling, and the transaction its effects must
// join: the inbox row is already written in it, and offsets are committed only after it commits.
import { BaseRpcContext } from '@nestjs/microservices';
import type { PoolClient } from 'pg';

export interface KafkaMessageInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The id under which the inbox deduplicates this message (event id or command id). */
  readonly messageId: string;
  readonly attempt: number;
}

export class KafkaMessageContext extends BaseRpcContext<[KafkaMessageInfo, PoolClient, () => Promise<void>, ((fn: () => void) => void)?]> {
  get info(): KafkaMessageInfo {
    return this.args[0];
  }
  /** The open transaction of this message: write every effect through it. */
  get tx(): PoolClient {
    return this.args[1];
  }
  /** Keeps the consumer's group membership alive during a long handler. */
  heartbeat(): Promise<void> {
    return this.args[2]();
  }
  /** Runs `fn` once this message's transaction has committed (not if it rolls back): for wake-ups
   *  of workers that read what the handler wrote. Errors thrown by `fn` are ignored. */
  afterCommit(fn: () => void): void {
    const register = this.args[3];
    if (register) register(fn);
  }
}
