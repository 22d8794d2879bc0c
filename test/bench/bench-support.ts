// What the whole-system benchmarks share: progress lines, percentiles, and writing a table
// between its `<!-- bench:NAME:begin/end -->` markers in docs/benchmarks.md with the date,
// the machine and the load average.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Stats {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function progress(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} [bench] ${msg}\n`);
}

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? NaN };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it gives a value other than undefined (or throws after `timeoutMs`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const got = await check();
    if (got !== undefined) return got;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

/** Replaces the block between the markers of `tag` in docs/benchmarks.md (the markers must be there);
 *  `context` ends the machine line (e.g. how many instances ran). */
export function writeBench(tag: string, table: string, extra = '', context = ''): void {
  process.stdout.write(`${table}\n${extra ? `${extra}\n` : ''}`);
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const begin = `<!-- bench:${tag}:begin -->`;
  const end = `<!-- bench:${tag}:end -->`;
  if (!doc.includes(begin)) throw new Error(`docs/benchmarks.md has no ${begin}`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, shared with other workloads: load average ${loadavg()[0].toFixed(1)} at the end)${context ? `, ${context}` : ''}.`;
  const block = `${begin}\n${stamp}\n\n${table}\n${extra ? `\n${extra}\n` : ''}${end}`;
  writeFileSync(file, doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), () => block));
}
