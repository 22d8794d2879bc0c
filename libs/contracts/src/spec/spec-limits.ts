// Size limits of a spec, the same for every way in (HTTP JSON or YAML, Kafka ApplySpec, the
// CLI): a spec document (the text) of at most 256 KiB, a YAML document whose aliases expand to
// at most as much, a spec of at most 64 KiB as canonical JSON (what the event log and Kafka
// carry, so no accepted spec can come near Kafka's message limit), nested at most 32 deep.
// The spec-service takes other values from FJC_MAX_DOCUMENT_BYTES, FJC_MAX_SPEC_BYTES and
// FJC_MAX_SPEC_DEPTH.
import type { SpecError } from './spec-error';

export interface SpecLimits {
  /** The document as sent: the HTTP body limit, equal for JSON and YAML. */
  readonly maxDocumentBytes: number;
  /** The spec as canonical JSON. */
  readonly maxSpecBytes: number;
  /** Nesting of mappings and lists. */
  readonly maxDepth: number;
}

export const DEFAULT_SPEC_LIMITS: SpecLimits = { maxDocumentBytes: 256 * 1024, maxSpecBytes: 64 * 1024, maxDepth: 32 };

export const SPEC_LIMIT_ENV = {
  maxDocumentBytes: 'FJC_MAX_DOCUMENT_BYTES',
  maxSpecBytes: 'FJC_MAX_SPEC_BYTES',
  maxDepth: 'FJC_MAX_SPEC_DEPTH',
} as const satisfies Record<keyof SpecLimits, string>;

/** Limits from the environment; a value that is not a positive integer is a configuration error. */
export function specLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): SpecLimits {
  const read = (key: keyof SpecLimits): number => {
    const raw = env[SPEC_LIMIT_ENV[key]];
    if (raw === undefined || raw === '') return DEFAULT_SPEC_LIMITS[key];
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${SPEC_LIMIT_ENV[key]} must be a positive integer, got "${raw}"`);
    return value;
  };
  return { maxDocumentBytes: read('maxDocumentBytes'), maxSpecBytes: read('maxSpecBytes'), maxDepth: read('maxDepth') };
}

export function documentTooLarge(bytes: number, limits: SpecLimits): SpecError | undefined {
  if (bytes <= limits.maxDocumentBytes) return undefined;
  return {
    path: '',
    code: 'FJC_SPEC_DOCUMENT_TOO_LARGE',
    message: `the document is ${bytes} bytes; the limit is ${limits.maxDocumentBytes} bytes (${SPEC_LIMIT_ENV.maxDocumentBytes})`,
  };
}

/** Depth first (it bounds the cost of measuring), then the size as canonical JSON. */
export function valueLimitErrors(value: unknown, limits: SpecLimits): SpecError[] {
  if (depthOf(value, limits.maxDepth + 1) > limits.maxDepth) {
    return [{ path: '', code: 'FJC_SPEC_TOO_DEEP', message: `the spec is nested more than ${limits.maxDepth} levels deep; the limit is ${limits.maxDepth} (${SPEC_LIMIT_ENV.maxDepth})` }];
  }
  const bytes = utf8Bytes(JSON.stringify(value) ?? '');
  if (bytes > limits.maxSpecBytes) {
    return [{ path: '', code: 'FJC_SPEC_TOO_LARGE', message: `the spec is ${bytes} bytes as JSON; the limit is ${limits.maxSpecBytes} bytes (${SPEC_LIMIT_ENV.maxSpecBytes})` }];
  }
  return [];
}

/** Nesting depth of mappings and lists, counted no further than `stopAt`. */
function depthOf(value: unknown, stopAt: number): number {
  if (stopAt <= 0 || value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, depthOf(child, stopAt - 1));
    if (deepest >= stopAt - 1) break;
  }
  return 1 + deepest;
}

/** UTF-8 size of a text, with the standard TextEncoder so the check runs in Node and browsers alike (the console). */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
