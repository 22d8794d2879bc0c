// The query strings of the list, feed and stream routes, as zod schemas (also used for the OpenAPI
// document). Unknown parameters are refused, not ignored: a misspelt filter would otherwise
// silently widen the answer. Lists are comma-separated ("namespace=a,b").
import { z } from 'zod';
import { EVENT_TYPES, JOB_ID_PATTERN, LIFECYCLE_STATES } from '@fjc/contracts';
import type { CommandError } from '../spec-stream/command-error';

const POSITION = /^[0-9]{1,19}$/;
const name = z.string().regex(JOB_ID_PATTERN, 'must be a name of lowercase letters, digits and "-"');

function commaList<T extends z.ZodType<string, string>>(item: T, max = 100) {
  return z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()))
    .pipe(z.array(item).min(1).max(max))
    .optional();
}

const limit = z.coerce.number().int().min(1).max(1000).default(100);

export const JobsQuerySchema = z.strictObject({
  /** Jobs per page, 1 to 1000. */
  limit,
  /** The previous page's `next`. */
  cursor: z.string().min(1).max(512).optional(),
  namespace: commaList(name),
  state: commaList(z.enum(LIFECYCLE_STATES)),
  /** A label selector on the spec's labels: k=v, k!=v, k, !k, k in (a,b), k notin (a,b), comma-joined. */
  selector: z.string().optional(),
  /** Text the job id contains. */
  q: z.string().min(1).max(63).optional(),
  includeDeleted: z.enum(['true', 'false']).default('false'),
});
export type JobsQuery = z.output<typeof JobsQuerySchema>;

const eventFilters = {
  jobId: commaList(name),
  type: commaList(z.enum(EVENT_TYPES as [string, ...string[]])),
  namespace: commaList(name),
};

export const EventsQuerySchema = z.strictObject({
  /** The position of the last event already read (the previous page's `next`); 0 (the default) reads from the start. */
  after: z.string().regex(POSITION, 'must be 0 or a position from this feed').default('0'),
  limit,
  ...eventFilters,
});
export type EventsQuery = z.output<typeof EventsQuerySchema>;

export const StreamQuerySchema = z.strictObject({
  /** Resume after this position (0: from the start); Last-Event-ID wins. Neither: only new events. */
  after: z.string().regex(POSITION, 'must be 0 or a position from this log').optional(),
  ...eventFilters,
});
export type StreamQuery = z.output<typeof StreamQuerySchema>;

export type ParsedQuery<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: CommandError[] };

/** Every problem names its parameter (the list item's index is left out: "state", not "state.1"). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): ParsedQuery<z.output<S>> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? { code: 'FJC_INVALID_REQUEST', path: issue.keys.join(', '), message: 'is not a known query parameter' }
        : { code: 'FJC_INVALID_REQUEST', path: String(issue.path[0] ?? ''), message: issue.message },
    ),
  };
}

/** A position without leading zeros ("007" is 7). */
export function normalPosition(position: string): string {
  return position.replace(/^0+(?=\d)/, '');
}

/** GET /api/v1/sla: a time range (recorded time, from inclusive, to exclusive) and namespaces. */
export const SlaQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    namespace: commaList(name),
  })
  // An unreadable from or to is named on its own; the order only between two readable times.
  .refine((q) => !(Date.parse(q.from) >= Date.parse(q.to)), { path: ['to'], message: 'must be after from' });
export type SlaQuery = z.output<typeof SlaQuerySchema>;
