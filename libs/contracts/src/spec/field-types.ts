// Field types of the job spec with the checks and messages people see. Text formats carry their
// error code in the issue (params.code) and their pattern in the JSON Schema (via meta), so the
// same definition serves validation, error messages and editor completion.
import { Cron } from 'croner';
import { z } from 'zod';
import { describeValue } from './describe-value';
import { fieldKinds } from './schema-walk';
import type { SpecErrorCode } from './spec-error';
import { didYouMean } from './suggestions';
import { BYTE_SIZE_PATTERN, DURATION_PATTERN, formatByteSize, formatDuration, parseByteSize, parseDuration } from './units';

type Problem = (value: string) => string | undefined;

/** Text checked by `problem`, which returns what is wrong (or nothing), reported under `code`. */
export function checkedText(code: SpecErrorCode, problem: Problem) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message, params: { code }, input: value });
  });
}

/** Text matching `pattern`; the pattern also goes into the JSON Schema. */
export function patternText(pattern: RegExp, code: SpecErrorCode, expectation: string) {
  return checkedText(code, (value) =>
    pattern.test(value) ? undefined : `${expectation}, got ${describeValue(value)}`,
  ).meta({ pattern: pattern.source });
}

export const JOB_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_RULE = '1 to 63 lowercase letters, digits or "-", starting with a letter or digit';

export const JobIdSchema = patternText(JOB_ID_PATTERN, 'FJC_SPEC_INVALID_FORMAT', `must be ${NAME_RULE}`).register(
  fieldKinds,
  { kind: 'name' },
);
export const ResourceNameSchema = JobIdSchema;

/** A digest ("sha256:" and 64 hex digits) or an Ed25519 signature of the jar's bytes ("ed25519:" and the 64-byte signature in base64). */
export const SIGNATURE_PATTERN = /^(sha256:[0-9a-fA-F]{64}|ed25519:[A-Za-z0-9+/]{86}==)$/;
export const ArtifactSignatureSchema = patternText(
  SIGNATURE_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be "sha256:" followed by the 64 hex digits of the jar\'s SHA-256, or "ed25519:" followed by the base64 of an Ed25519 signature of the jar',
)
  .transform((signature) => (signature.startsWith('ed25519:') ? signature : signature.toLowerCase()))
  .register(fieldKinds, { kind: 'artifact signature' });

export const JAVA_CLASS_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
export const JavaClassNameSchema = patternText(
  JAVA_CLASS_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be a fully qualified Java class name like com.example.Main',
).register(fieldKinds, { kind: 'Java class name' });

export const KERBEROS_PRINCIPAL_PATTERN = /^[^\s/@]+(\/[^\s/@]+)?@[^\s/@]+$/;
export const KerberosPrincipalSchema = patternText(
  KERBEROS_PRINCIPAL_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must look like "primary@REALM" or "primary/instance@REALM"',
).register(fieldKinds, { kind: 'Kerberos principal' });

export const SAVEPOINT_DIR_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+|\/\S*)$/;
export const SavepointDirSchema = patternText(
  SAVEPOINT_DIR_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be a directory URI like file:///data/savepoints or s3://bucket/savepoints, or an absolute path',
).register(fieldKinds, { kind: 'directory URI' });

export const TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const TimeOfDaySchema = patternText(TIME_OF_DAY_PATTERN, 'FJC_SPEC_INVALID_FORMAT', 'must be a time of day HH:MM (00:00 to 23:59)').register(fieldKinds, {
  kind: 'time of day',
});

export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const EnvVarNameSchema = patternText(
  ENV_VAR_NAME_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be an environment variable name (letters, digits and "_", not starting with a digit)',
).register(fieldKinds, { kind: 'variable name' });

export const LABEL_KEY_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?$/;
export const LabelKeySchema = patternText(
  LABEL_KEY_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be a label name of 1 to 128 letters, digits, ".", "_", "-" or "/", starting and ending with a letter or digit',
).register(fieldKinds, { kind: 'label name' });
export const LabelValueSchema = z.string().max(256);

/** A duration as text ("30s") or whole milliseconds, parsed to milliseconds within [min, max]. */
export function durationSchema(bounds: { readonly min: number; readonly max: number }) {
  const text = checkedText('FJC_SPEC_INVALID_DURATION', (value) =>
    parseDuration(value) === undefined
      ? `must be a duration like "500ms", "30s", "5m", "1h" or "1d", got ${describeValue(value)}`
      : undefined,
  ).meta({ pattern: DURATION_PATTERN.source });
  const millis = z
    .int({ error: 'must be a whole number of milliseconds' })
    .min(0, { error: (issue) => `must not be negative, got ${describeValue(issue.input)}` });
  return z
    .union([text, millis], {
      error: (issue) => `must be a duration like "30s" or a whole number of milliseconds, got ${describeValue(issue.input)}`,
    })
    // Text reaching here passed the check above, so it parses; NaN would fail the range check anyway.
    .transform((value) => (typeof value === 'number' ? value : (parseDuration(value) ?? Number.NaN)))
    .pipe(
      z
        .int()
        .min(bounds.min, { error: (issue) => `must be at least ${formatDuration(bounds.min)}, got ${formatDuration(Number(issue.input))}` })
        .max(bounds.max, { error: (issue) => `must be at most ${formatDuration(bounds.max)}, got ${formatDuration(Number(issue.input))}` }),
    )
    .register(fieldKinds, { kind: `duration, ${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}` });
}

/** A memory size as text ("2g", "512m", "1024mb") or whole bytes, parsed to bytes within [min, max]. */
export function byteSizeSchema(bounds: { readonly min: number; readonly max: number }) {
  const text = checkedText('FJC_SPEC_INVALID_SIZE', (value) =>
    parseByteSize(value) === undefined
      ? `must be a memory size like "512m", "2g" or "1024mb", got ${describeValue(value)}`
      : undefined,
  ).meta({ pattern: BYTE_SIZE_PATTERN.source });
  const bytes = z
    .int({ error: 'must be a whole number of bytes' })
    .min(0, { error: (issue) => `must not be negative, got ${describeValue(issue.input)}` });
  return z
    .union([text, bytes], {
      error: (issue) => `must be a memory size like "2g" or a whole number of bytes, got ${describeValue(issue.input)}`,
    })
    // Text reaching here passed the check above, so it parses; NaN would fail the range check anyway.
    .transform((value) => (typeof value === 'number' ? value : (parseByteSize(value) ?? Number.NaN)))
    .pipe(
      z
        .int()
        .min(bounds.min, { error: (issue) => `must be at least ${formatByteSize(bounds.min)}, got ${formatByteSize(Number(issue.input))}` })
        .max(bounds.max, { error: (issue) => `must be at most ${formatByteSize(bounds.max)}, got ${formatByteSize(Number(issue.input))}` }),
    )
    .register(fieldKinds, { kind: `memory size, ${formatByteSize(bounds.min)} to ${formatByteSize(bounds.max)}` });
}

// A fixed instant makes "does this schedule ever fire?" independent of the clock: cron
// patterns repeat every year, so any start point gives the same answer.
const CRON_REFERENCE_TIME = new Date('2000-01-01T00:00:00Z');

export function cronProblem(pattern: string): string | undefined {
  try {
    // No callback: croner only parses the pattern and schedules nothing.
    const next = new Cron(pattern, { paused: true }).nextRun(CRON_REFERENCE_TIME);
    return next === null ? `never fires: no date matches ${describeValue(pattern)}` : undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^CronPattern: ?/, '') : String(err);
    return `must be a cron schedule like "0 2 * * *" (minute hour day-of-month month day-of-week), got ${describeValue(pattern)}: ${reason}`;
  }
}
export const CronSchema = checkedText('FJC_SPEC_INVALID_CRON', cronProblem).register(fieldKinds, { kind: 'cron schedule' });

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
export const TimeZoneSchema = checkedText('FJC_SPEC_INVALID_TIMEZONE', (name) =>
  isTimeZone(name)
    ? undefined
    : `must be an IANA time zone like "Europe/Berlin" or "UTC", got ${describeValue(name)}${didYouMean(name, [
        'UTC',
        ...Intl.supportedValuesOf('timeZone'),
      ])}`,
).register(fieldKinds, { kind: 'IANA time zone' });

/** What is wrong with an artifact location, or nothing. */
export function artifactPathProblem(location: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'https' || scheme === 'file') return artifactUrlProblem(location, scheme);
  if (scheme === 'http') return 'must use https://; plain http:// downloads are not allowed';
  if (scheme !== undefined && scheme.length > 1) {
    return `must be a path under the artifact root, a file:// URL or an https:// URL; "${scheme}:" is not supported`;
  }
  if (location.trim() === '') return 'must not be empty';
  if (location.includes('\\')) return 'must use "/" between directories, not "\\"';
  if (location.startsWith('/')) return `is an absolute path; write it as file://${location} or make it relative to the artifact root`;
  if (location.split('/').some((part) => part === '..')) return 'must stay inside the artifact root (no ".." segments)';
  if (!location.endsWith('.jar')) return `must name a .jar file, got ${describeValue(location)}`;
  return undefined;
}

function artifactUrlProblem(location: string, scheme: 'https' | 'file'): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return `is not a valid ${scheme}:// URL`;
  }
  if (scheme === 'https') {
    if (url.username !== '' || url.password !== '') return 'must not contain credentials; the deployer supplies them';
    if (url.hostname === '') return 'must name a host';
  } else if (url.host !== '') {
    return 'must be a local file URL with an absolute path, like file:///opt/jobs/etl.jar';
  }
  if (!url.pathname.endsWith('.jar')) return `must name a .jar file, got ${describeValue(location)}`;
  return undefined;
}
export const ArtifactPathSchema = checkedText('FJC_SPEC_INVALID_ARTIFACT_PATH', artifactPathProblem).register(fieldKinds, {
  kind: 'artifact location',
});
