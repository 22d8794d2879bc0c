// Where the CLI writes, and what its exit codes mean. Commands get this instead of touching
// process.stdout, so they can be tested without a process.
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const EXIT = {
  ok: 0,
  /** Some input was invalid or refused (a spec with errors, a missing file, an unknown job). */
  invalid: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** `--wait` ran out of time before the version was done (as timeout(1) exits). */
  timeout: 124,
  /** The spec-service could not be reached (EX_UNAVAILABLE). */
  unavailable: 69,
  /** A bug in fjc (EX_SOFTWARE). */
  internal: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
