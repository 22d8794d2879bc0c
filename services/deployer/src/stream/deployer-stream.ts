// Appending to the deployer's stream of a job, deployer-<jobId>. The action executor and the
// observer both write there, so the append does not expect a version; a lost race for the next
// version comes back as a conflict and is simply tried again.
import { Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import { EventWriter, type EventCause, type PendingEvent } from '@fjc/service-runtime';

export function deployerStreamId(jobId: string): string {
  return `deployer-${jobId}`;
}

@Injectable()
export class DeployerStream {
  constructor(private readonly writer: EventWriter) {}

  async append(tx: Queryable, jobId: string, events: readonly PendingEvent[], cause: EventCause): Promise<'appended' | 'duplicate'> {
    for (let tries = 1; ; tries++) {
      const result = await this.writer.append(tx, deployerStreamId(jobId), 'any', jobId, events, cause);
      if (result.status !== 'conflict') return result.status;
      if (tries >= 5) throw new Error(`FJC_VERSION_CONFLICT: ${deployerStreamId(jobId)} kept moving under five appends`);
    }
  }
}
