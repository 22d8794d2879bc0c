// What the whole-system benchmarks share: progress lines, percentiles, and writing a table
// between its `<!-- bench:NAME:begin/end -->` markers in docs/benchmarks.md with the date,
// the machine and the load average.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  // The load average includes the benchmark's own stack (Flink, Kafka, PostgreSQL, the services).
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores: load average ${loadavg()[0].toFixed(1)} at the end, the benchmark's own stack included)${context ? `, ${context}` : ''}.`;
  const block = `${begin}\n${stamp}\n\n${table}\n${extra ? `\n${extra}\n` : ''}${end}`;
  writeFileSync(file, doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), () => block));
}

/** CPU time used so far, in seconds: the whole machine (busy and all, from /proc/stat) and per
 *  group of processes. A group is named by `groups` (pids) or found by name: PostgreSQL (every
 *  `postgres` process, the postmaster's children that ended included), Kafka and Flink (their JVMs,
 *  told apart by command line), and this process ("bench client"). */
export interface CpuReading {
  readonly at: number;
  readonly machineBusy: number;
  readonly machineAll: number;
  readonly groups: Record<string, number>;
}

const TICKS_PER_S = 100;

function procTimes(pid: number | string, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // After the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
    return (f[11] + f[12] + (withChildren ? f[13] + f[14] : 0)) / TICKS_PER_S;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** The whole machine's CPU seconds so far, from /proc/stat: busy, and all (idle included). */
function machineTimes(): { busy: number; all: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const all = line.slice(0, 8).reduce((a, b) => a + b, 0) / TICKS_PER_S;
  return { busy: all - (line[3] + line[4]) / TICKS_PER_S, all };
}

export function readCpu(groups: Record<string, readonly number[]>): CpuReading {
  const { busy, all } = machineTimes();
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) out[name] = pids.reduce((a, pid) => a + procTimes(pid, true), 0);
  out.PostgreSQL = 0;
  out.Kafka = 0;
  out.Flink = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm = '';
    try {
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') out.PostgreSQL += procTimes(entry, true);
    else if (comm === 'java') {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/\0kafka\.Kafka\0/.test(cmd)) out.Kafka += procTimes(entry, true);
      else if (/flink/i.test(cmd)) out.Flink += procTimes(entry, true);
    }
  }
  const self = process.cpuUsage();
  out['bench client'] = (self.user + self.system) / 1e6;
  return { at: Date.now(), machineBusy: busy, machineAll: all, groups: out };
}

/** CPU spent between two readings per item of work: ms per item per group and in all, the busy
 *  cores, and the rate the machine's cores would allow at that cost (the CPU bound). */
export interface CpuCost {
  readonly perItemMs: Record<string, number>;
  readonly totalMs: number;
  readonly busyCores: number;
  readonly boundPerS: number;
}

export function cpuCost(a: CpuReading, b: CpuReading, items: number): CpuCost {
  const perItemMs: Record<string, number> = {};
  for (const name of Object.keys(b.groups)) perItemMs[name] = ((b.groups[name] - (a.groups[name] ?? 0)) * 1000) / items;
  const busy = b.machineBusy - a.machineBusy;
  const totalMs = (busy * 1000) / items;
  const wall = (b.at - a.at) / 1000;
  return { perItemMs, totalMs, busyCores: busy / wall, boundPerS: (cpus().length * 1000) / totalMs };
}

/** Waits until the whole machine is quiet (fewer than `maxBusyCores` busy over one second), at
 *  most `timeoutMs`: an "idle" measurement right after the stack came up would otherwise include
 *  the JVMs' warm-up. Returns the seconds waited and the busy cores of the last second. */
export async function waitQuiet(maxBusyCores = 0.3, timeoutMs = 30_000): Promise<{ waitedS: number; busyCores: number }> {
  const start = Date.now();
  for (;;) {
    const a = machineTimes().busy;
    const t = Date.now();
    await sleep(1000);
    const busyCores = (machineTimes().busy - a) / ((Date.now() - t) / 1000);
    const waitedS = (Date.now() - start) / 1000;
    if (busyCores < maxBusyCores || Date.now() - start >= timeoutMs) return { waitedS, busyCores };
  }
}
