// Errors of the Flink client, and what Flink's error answers mean. Expected outcomes (duplicate
// job id, unknown jar) are values returned by the client; these are the failures worth a retry
// (Flink unreachable, 502/503/504, a broken answer), a program Flink refuses to run (terminal:
// retrying the same jar, class and arguments gives the same answer), or a contract breach.

/** Transient: the call did not reach Flink or Flink could not answer it now. Worth a retry. */
export class FlinkUnavailableError extends Error {
  readonly code = 'FJC_FLINK_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'FlinkUnavailableError';
  }
}

/**
 * The TLS handshake with the cluster failed for a reason a retry cannot cure: its certificate is
 * not signed by the configured CA (or has the wrong name, or expired), or it refused FJC's client
 * certificate. Terminal: never retried, and not counted by the circuit breaker as an outage.
 */
export class FlinkTlsError extends Error {
  readonly code = 'FJC_FLINK_TLS_UNTRUSTED';
  constructor(message: string, readonly tlsCode: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'FlinkTlsError';
  }
}

// Node's (OpenSSL's) codes for a server certificate that does not verify against the CA.
const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);
// The server's alert that it refused (or missed) our client certificate.
// OpenSSL 3 names them ERR_SSL_SSL/TLS_ALERT_..., older ones ERR_SSL_SSLV3_ALERT_... or ERR_SSL_TLSV13_ALERT_....
const CLIENT_REFUSED = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13|SSL\/TLS)_ALERT_(?:BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|HANDSHAKE_FAILURE|ACCESS_DENIED)$/;

/**
 * The TLS verdict in a connection error, if it is one: what went wrong in words and Node's code.
 * undici rejects with the socket's own error (sometimes wrapped as `cause`).
 */
export function tlsFailureOf(err: unknown): { readonly tlsCode: string; readonly reason: string } | null {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (UNTRUSTED_SERVER.has(code)) return { tlsCode: code, reason: 'its certificate is not trusted (not signed by the configured CA, wrong name or expired)' };
    if (CLIENT_REFUSED.test(code)) return { tlsCode: code, reason: 'it refused the client certificate (missing, or not signed by a CA it trusts)' };
  }
  return null;
}

export class FlinkProtocolError extends Error {
  readonly code = 'FJC_FLINK_PROTOCOL';
  constructor(message: string) {
    super(message);
    this.name = 'FlinkProtocolError';
  }
}

/**
 * Flink refused the program itself: its entry class is not in the jar, its main method threw
 * (bad program arguments), the jar is not a jar, or its configuration is invalid. Terminal: the
 * same submission gets the same answer. `flinkMessage` is Flink's own informative line.
 */
export class FlinkProgramError extends Error {
  readonly code = 'FJC_FLINK_PROGRAM_INVALID';
  constructor(readonly flinkMessage: string) {
    super(flinkMessage);
    this.name = 'FlinkProgramError';
  }
}

/** What an error answer of Flink's REST API means, read from every entry of its `errors` array. */
export type FlinkErrorKind =
  /** The job id is taken (an earlier attempt submitted it, or someone else). */
  | 'duplicate-job'
  /** Flink has no such jar (a restarted JobManager forgets uploads). */
  | 'jar-not-found'
  /** The program cannot run: terminal. */
  | 'program'
  /** Flink could not answer now (overloaded, restarting, a timeout inside Flink): retry later. */
  | 'transient'
  /** Nothing FJC recognises: retried, but only a bounded number of times. */
  | 'unclassified';

export interface FlinkErrorReading {
  readonly kind: FlinkErrorKind;
  /** The informative line: Flink's own words for what went wrong, never "Internal server error.". */
  readonly message: string;
  /** Every exception line of every entry (stack frames dropped), for logs and unclassified cases. */
  readonly lines: readonly string[];
}

// Flink's own texts (flink-clients PackagedProgram / JarHandlerUtils / JarRunHandler, unchanged
// between 1.20 and 2.x; 2.x renamed DuplicateJobSubmissionException to
// DuplicateApplicationSubmissionException, "Job has already been submitted" to "Application has
// already been submitted").
const DUPLICATE = /DuplicateJobSubmissionException|DuplicateApplicationSubmissionException|has already been submitted/i;
const JAR_NOT_FOUND = /Jar file .* does not exist|Could not find jar|NoSuchFileException/i;
const PROGRAM: readonly RegExp[] = [
  /The program's entry point class '[^']*'/,
  /does not have a main\(String\[\]\) method|has no main\(String\[\]\) method|declares a non-(?:static|public) main method|The class \S+ must be public/,
  /The main method caused an error/,
  /Could not invoke the main method|error occurred while invoking the program's main method/,
  /ProgramParametrizationException|ProgramMissingJobException|IllegalConfigurationException/,
  /Error while opening jar file|No manifest found in jar file|Neither a 'Main-Class', nor a 'program-class' entry|ZipException|not a valid jar/i,
  /ProgramInvocationException/,
];
/** Causes inside Flink that pass by themselves: a retry may succeed. */
const TRANSIENT_CAUSE = /java\.util\.concurrent\.TimeoutException|AskTimeoutException|RecipientUnreachableException|Connection refused|ConnectException|The rpc invocation size|Service temporarily unavailable|leader.*(?:not|no longer) available|NoResourceAvailableException/i;

/**
 * Reads an error answer of Flink's REST API: every entry of its `errors` array (Flink puts
 * "Internal server error." first and the server-side exception, with its causes, after it).
 */
export function readFlinkError(status: number, body: unknown): FlinkErrorReading {
  const entries = errorEntries(body);
  const lines = entries.flatMap(exceptionLines);
  const all = entries.join('\n');
  if (DUPLICATE.test(all)) return { kind: 'duplicate-job', message: pick(lines, DUPLICATE), lines };
  if (status === 404 || JAR_NOT_FOUND.test(all)) return { kind: 'jar-not-found', message: pick(lines, JAR_NOT_FOUND), lines };
  if (status === 502 || status === 503 || status === 504 || status === 429) return { kind: 'transient', message: informative(lines) || `HTTP ${status}`, lines };
  if (PROGRAM.some((p) => p.test(all))) {
    if (TRANSIENT_CAUSE.test(all)) return { kind: 'transient', message: informative(lines), lines };
    return { kind: 'program', message: programMessage(lines), lines };
  }
  if (TRANSIENT_CAUSE.test(all)) return { kind: 'transient', message: informative(lines), lines };
  return { kind: 'unclassified', message: informative(lines) || `HTTP ${status}`, lines };
}

function errorEntries(body: unknown): string[] {
  if (typeof body === 'string') return [body];
  if (body !== null && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    return ((body as { errors: unknown[] }).errors).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  }
  return [JSON.stringify(body)];
}

/** The exception lines of one entry, each without its "Caused by:" and exception class prefixes. */
function exceptionLines(entry: string): string[] {
  const out: string[] = [];
  for (const raw of entry.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('at ') || /^\.\.\. \d+ more$/.test(line) || /^<?Exception on server side:?$/.test(line) || line === 'End of exception on server side>') continue;
    if (line === 'Internal server error.') continue;
    out.push(stripExceptionClasses(line.replace(/^Caused by:\s*/, '').replace(/^<Exception on server side:\s*/, '')));
  }
  return dedupe(out);
}

/** "java.util.concurrent.CompletionException: org.x.FooException: text" -> "text". */
function stripExceptionClasses(line: string): string {
  let rest = line;
  for (;;) {
    const m = /^([a-zA-Z_$][\w$]*(?:\.[a-zA-Z_$][\w$]*)+(?:Exception|Error|Throwable)?):\s+(.*)$/s.exec(rest);
    const className = m?.[1]?.split('.').pop() ?? '';
    if (!m || !/^[A-Z]/.test(className)) return rest;
    rest = m[2] ?? '';
  }
}

function dedupe(lines: string[]): string[] {
  return lines.filter((l, i) => l.length > 0 && lines.indexOf(l) === i);
}

function pick(lines: readonly string[], pattern: RegExp): string {
  return lines.find((l) => pattern.test(l)) ?? informative(lines);
}

/** The first line that says something: not a bare "Could not execute application." wrapper. */
function informative(lines: readonly string[]): string {
  return lines.find((l) => !/^Could not (?:execute|run) (?:application|the jar)\.?$/i.test(l)) ?? lines[0] ?? '';
}

/** Flink's line about the program, plus the deepest cause when that line does not already say it. */
function programMessage(lines: readonly string[]): string {
  const about = lines.find((l) => PROGRAM.slice(0, 6).some((p) => p.test(l))) ?? informative(lines);
  const root = lines[lines.length - 1];
  return root && !about.includes(root) ? `${about} (cause: ${root})` : about;
}
