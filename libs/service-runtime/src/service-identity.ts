// The identity of the running service process, injected wherever logs or metrics need it.
export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface ServiceIdentity {
  /** Stable service name, e.g. "spec-service"; used as log field and metric label. */
  readonly name: string;
  /** Distinct per process so two instances of one service can be told apart. */
  readonly instanceId: string;
}
