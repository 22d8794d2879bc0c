import type { DeadLetter, DeadLetterReplayed } from '@fjc/contracts';
import { decideReplay, foldDeadLetters, listRow, replayHeaders, showEntry, type DlqRecord } from './dead-letters';

const letter = (offset: string, extra: Partial<DeadLetter> = {}): DeadLetter => ({
  code: 'FJC_DLQ_HANDLER_FAILED',
  reason: 'The handler failed 5 attempts.',
  sourceTopic: 'fjc.spec.commands',
  partition: 3,
  offset,
  key: 'orders',
  value: '{"commandId":"c1"}',
  receivedAt: '2026-11-28T09:00:00.000Z',
  consumer: 'fjc.spec-service',
  attempts: 5,
  headers: { traceparent: 't1' },
  ...extra,
});
const record = (partition: number, offset: string, value: unknown, eventType = 'DeadLetter'): DlqRecord => ({
  partition,
  offset,
  key: 'orders',
  value: typeof value === 'string' ? value : JSON.stringify(value),
  headers: { 'event-type': eventType },
  timestamp: '1795856400000',
});
const marker = (replayOf: string, replayedAt: string): DeadLetterReplayed => ({ replayOf, sourceTopic: 'fjc.spec.commands', partition: 3, offset: '80', replayedAt, by: 'ops', forced: false });

describe('foldDeadLetters', () => {
  const records = [
    record(1, '10', letter('7')),
    record(0, '2', letter('5', { code: 'FJC_DLQ_NOT_JSON', value: 'oops' })),
    record(0, '3', marker('1:10', '2026-11-28T10:00:00.000Z'), 'DeadLetterReplayed'),
    record(0, '4', 'garbage'),
  ];

  it('gives one entry per dead letter in partition and offset order, with its replays; markers are not letters', () => {
    const entries = foldDeadLetters(records);
    expect(entries.map((e) => [e.id, e.letter?.code ?? null, e.replays.length])).toEqual([
      ['0:2', 'FJC_DLQ_NOT_JSON', 0],
      ['0:4', null, 0],
      ['1:10', 'FJC_DLQ_HANDLER_FAILED', 1],
    ]);
    expect(entries.map(listRow)).toEqual([
      ['0:2', 'FJC_DLQ_NOT_JSON', 'fjc.spec.commands', 'orders', '2026-11-28T09:00:00.000Z', '-'],
      ['0:4', '(unreadable)', '-', 'orders', '2026-11-28T09:00:00.000Z', '-'],
      ['1:10', 'FJC_DLQ_HANDLER_FAILED', 'fjc.spec.commands', 'orders', '2026-11-28T09:00:00.000Z', '2026-11-28T10:00:00.000Z'],
    ]);
  });

  it('shows one in full: reason, origin, headers, replays and the value', () => {
    const text = showEntry(foldDeadLetters(records)[2], 'fjc.dlq');
    expect(text).toContain('id:          1:10 (fjc.dlq)');
    expect(text).toContain('source:      fjc.spec.commands partition 3 offset 7');
    expect(text).toContain('  traceparent: t1');
    expect(text).toContain('  2026-11-28T10:00:00.000Z to fjc.spec.commands partition 3 offset 80 by ops');
    expect(text).toContain('  {\n    "commandId": "c1"\n  }');
  });
});

describe('decideReplay', () => {
  const entries = foldDeadLetters([record(0, '1', letter('7')), record(0, '2', marker('0:1', '2026-11-28T10:00:00.000Z'), 'DeadLetterReplayed'), record(0, '3', letter('8')), record(0, '4', 'x')]);

  it('replays a dead letter never replayed', () => {
    expect(decideReplay(entries, '0:3', false)).toMatchObject({ ok: true, forced: false, letter: { offset: '8' } });
  });

  it('refuses a second replay unless forced', () => {
    expect(decideReplay(entries, '0:1', false)).toMatchObject({ ok: false, code: 'FJC_DLQ_ALREADY_REPLAYED', message: expect.stringContaining('--force') });
    expect(decideReplay(entries, '0:1', true)).toMatchObject({ ok: true, forced: true });
  });

  it.each([
    ['0:9', 'FJC_DLQ_NOT_FOUND'],
    ['0:2', 'FJC_DLQ_NOT_FOUND'],
    ['0:4', 'FJC_DLQ_UNREADABLE'],
  ])('refuses %s: %s', (id, code) => {
    expect(decideReplay(entries, id, true)).toMatchObject({ ok: false, code });
  });
});

describe('replayHeaders', () => {
  it('keeps the original headers and names the dead letter', () => {
    expect(replayHeaders(letter('7'), 'fjc.dlq', '0:1', 'fjc_mine')).toEqual({ ok: true, headers: { traceparent: 't1', 'fjc-dlq-replay-of': 'fjc.dlq:0:1' } });
    expect(replayHeaders(letter('7', { headers: undefined }), 'fjc.dlq', '0:1')).toEqual({ ok: true, headers: { 'fjc-dlq-replay-of': 'fjc.dlq:0:1' } });
  });

  it("carries the replaying operator's token where the original credential was removed, and refuses without one", () => {
    const sealed = letter('7', { removedHeaders: ['Authorization'] });
    expect(replayHeaders(sealed, 'fjc.dlq', '0:1', 'fjc_mine')).toEqual({
      ok: true,
      headers: { traceparent: 't1', 'fjc-dlq-replay-of': 'fjc.dlq:0:1', authorization: 'Bearer fjc_mine' },
    });
    expect(replayHeaders(sealed, 'fjc.dlq', '0:1', null)).toMatchObject({ ok: false, code: 'FJC_DLQ_CREDENTIAL_NEEDED' });
  });
});
