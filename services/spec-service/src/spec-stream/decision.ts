// What a pure decide function returns: events to append (and the spec version they make or
// leave current), "nothing to do" with the current version, or a refusal.
import type { CommandError } from './command-error';
import type { SpecStreamEvent } from './spec-stream';

export type Decision =
  | { readonly kind: 'append'; readonly events: readonly SpecStreamEvent[]; readonly version: number }
  | { readonly kind: 'unchanged'; readonly version: number }
  | { readonly kind: 'rejected'; readonly errors: readonly CommandError[] };

export const append = (version: number, ...events: SpecStreamEvent[]): Decision => ({ kind: 'append', events, version });
export const unchanged = (version: number): Decision => ({ kind: 'unchanged', version });
export const rejected = (...errors: CommandError[]): Decision => ({ kind: 'rejected', errors });
