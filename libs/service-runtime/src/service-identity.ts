// The identity of the running service process, injected wherever logs or metrics need it.
import { randomUUID } from 'node:crypto';
export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface ServiceIdentity {
  /** Stable service name, e.g. "spec-service"; used as log field and metric label. */
  readonly name: string;
  /** Distinct per process so two instances of one service can be told apart. */
  readonly instanceId: string;
}

let instanceId: string | undefined;

/** This process's instance id: FJC_INSTANCE_ID, or one chosen at random once per process. */
export function processInstanceId(): string {
  instanceId ??= process.env.FJC_INSTANCE_ID ?? randomUUID();
  return instanceId;
}
