// scripts/log-format.mjs, the console formatter of `npm start`: each JSON log line becomes one
// readable line with the fields that matter, FJC_LOG_FORMAT=json keeps the JSON, other lines pass
// through. Pure; the module is ESM, so it runs in a child Node (as npm start runs it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Starts every ANSI color sequence. */
const ESC = String.fromCharCode(27) + '[';
const MODULE = join(__dirname, '..', '..', 'scripts', 'log-format.mjs');

function format(lines: string[], options: { json?: boolean; colorize?: boolean } = {}): string[] {
  const script = `import { lineFormatter } from ${JSON.stringify(MODULE)};
const f = lineFormatter(${JSON.stringify({ json: options.json ?? false, colorize: options.colorize ?? false })});
process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).map(f)));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(lines)], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

const entry = {
  level: 50,
  time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  pid: 42,
  hostname: 'h',
  service: 'deployer',
  instance: 'i-1',
  context: 'actions',
  msg: 'deploy failed',
  jobId: 'job-a',
  correlationId: 'corr-1',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  code: 'FJC_FLINK_UNREACHABLE',
};

it('renders a JSON line as one readable line with level, message and the key fields, without noise', () => {
  const [line] = format([JSON.stringify(entry)]);
  expect(line).not.toContain('\n');
  expect(line).not.toMatch(/^\{/);
  for (const part of ['ERROR', 'deploy failed', 'job-a', 'corr-1', '0af7651916cd43dd8448eb211c80319c', 'FJC_FLINK_UNREACHABLE']) expect([part, line.includes(part)]).toEqual([part, true]);
  for (const noise of ['hostname', 'pid', '"instance"', 'i-1']) expect([noise, line.includes(noise)]).toEqual([noise, false]);
  expect(line.includes(ESC)).toBe(false); // no colors when not asked (not a TTY)
});

it('shows the event name of a line without a message', () => {
  const [line] = format([JSON.stringify({ level: 30, time: entry.time, event: 'status.lifecycle', jobId: 'job-b' })]);
  expect(line).toContain('INFO');
  expect(line).toContain('status.lifecycle');
  expect(line).toContain('job-b');
});

it('colors only when asked', () => {
  const [line] = format([JSON.stringify(entry)], { colorize: true });
  expect(line.includes(ESC)).toBe(true);
});

it('passes lines that are not JSON objects through unchanged, and keeps JSON as it is with FJC_LOG_FORMAT=json', () => {
  const raw = ['plain text from a tool', '{not json', '42', '[1,2]'];
  expect(format(raw)).toEqual(raw);
  const json = JSON.stringify(entry);
  expect(format([json], { json: true })).toEqual([json]);
});
