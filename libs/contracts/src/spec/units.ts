// Durations and memory sizes as people write them in specs. A bare whole number means
// milliseconds or bytes, as in Flink's own configuration (and in the original spec format);
// text needs a unit. Sizes use binary multiples like Flink's MemorySize ("1k" = 1024 bytes).
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Text form of a duration: a whole number and one of ms, s, m (or min), h, d. */
export const DURATION_PATTERN = /^([0-9]+) ?(ms|s|min|m|h|d)$/;

export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (DURATION_UNITS[match[2]] ?? Number.NaN);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact text for a duration: 90000 -> "90s", 3600000 -> "1h", 1500 -> "1500ms". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Text form of a memory size: a whole number and an optional unit (b, k, m, g, t, with or without "b"/"ib"). */
export const BYTE_SIZE_PATTERN = /^([0-9]+) ?([bB]|[bB][yY][tT][eE][sS]|[kmgtKMGT]([bB]|[iI][bB])?)?$/;

export function parseByteSize(text: string): number | undefined {
  const match = BYTE_SIZE_PATTERN.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const bytes = Number(match[1]) * (SIZE_UNITS[unit] ?? Number.NaN);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** The shortest exact text for a size: 2147483648 -> "2g", 524288 -> "512k", 1536 -> "1536b". */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['t', 1024 ** 4], ['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}
