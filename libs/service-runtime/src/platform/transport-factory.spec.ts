import { randomUUID } from 'node:crypto';
import { UuidSchema } from '@fjc/contracts';
import { commandIdParser, commandKey } from './transport-factory';

describe('commandKey', () => {
  it('is the commandId itself when that is a UUID', () => {
    const id = randomUUID();
    expect(commandKey(id)).toBe(id);
  });

  it('is a stable UUID derived from a malformed commandId, different for different ids', () => {
    const key = commandKey('not-a-uuid');
    expect(UuidSchema.safeParse(key).success).toBe(true);
    expect(commandKey('not-a-uuid')).toBe(key);
    // Pinned across versions: the inbox of a running deployment holds keys made by older ones.
    expect(key).toBe('2c84d32f-f766-5fcd-8fa8-430842f68b96');
    expect(commandKey('not-a-uuid-2')).not.toBe(key);
  });
});

describe('commandIdParser', () => {
  it('lets a command with a malformed commandId through under its derived key (the handler rejects it)', () => {
    expect(commandIdParser({ commandId: 'not-a-uuid', type: 'ApplySpec' })).toEqual({ ok: true, value: { commandId: 'not-a-uuid', type: 'ApplySpec' }, id: commandKey('not-a-uuid') });
  });

  it.each([[{}], [{ commandId: '' }], [{ commandId: 42 }], [null], ['text']])('dead-letters %p: no commandId to answer', (value) => {
    expect(commandIdParser(value)).toMatchObject({ ok: false, error: expect.stringMatching(/^FJC_DLQ_NO_COMMAND_ID: /) });
  });
});
