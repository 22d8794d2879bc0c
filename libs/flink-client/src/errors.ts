// Errors of the Flink client. Expected outcomes (duplicate job id, unknown jar) are values
// returned by the client; these are the failures worth a retry (Flink unreachable, 5xx) or a
// contract breach (a response FJC cannot parse).
export class FlinkUnavailableError extends Error {
  readonly code = 'FJC_FLINK_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'FlinkUnavailableError';
  }
}

export class FlinkProtocolError extends Error {
  readonly code = 'FJC_FLINK_PROTOCOL';
  constructor(message: string) {
    super(message);
    this.name = 'FlinkProtocolError';
  }
}
