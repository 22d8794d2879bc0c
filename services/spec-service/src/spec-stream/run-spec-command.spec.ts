import type { Queryable } from '@fjc/event-log';
import type { EventCause } from '@fjc/service-runtime';
import { JOB, updated } from '../testing/spec-stream-fixtures';
import { append, unchanged } from './decision';
import { runSpecCommand } from './run-spec-command';
import { emptySpecStream, evolve, type SpecStream, type SpecStreamEvent } from './spec-stream';
import type { SpecStreamStore } from './spec-stream-store';

/** An in-memory stream whose appends lose the race `conflicts` times (another writer wins). */
class FakeStore implements SpecStreamStore {
  stream: SpecStream = emptySpecStream(JOB);
  loads = 0;
  constructor(private conflicts: number) {}

  async load(): Promise<SpecStream> {
    this.loads++;
    return this.stream;
  }

  async append(_tx: Queryable, stream: SpecStream, events: readonly SpecStreamEvent[]): Promise<'appended' | 'conflict'> {
    if (this.conflicts-- > 0) {
      this.stream = evolve(this.stream, updated(this.stream.versions.length + 1));
      return 'conflict';
    }
    if (stream.streamVersion !== this.stream.streamVersion) return 'conflict';
    this.stream = events.reduce(evolve, this.stream);
    return 'appended';
  }
}

const tx = {} as Queryable;
const cause: EventCause = { actor: { kind: 'user', id: 'ann' }, correlationId: 'c-1', causationId: null };
const nextVersion = (s: SpecStream) => append(s.versions.length + 1, updated(s.versions.length + 1));

describe('runSpecCommand', () => {
  it('loads, decides and appends; the first version creates the job', async () => {
    const store = new FakeStore(0);
    expect(await runSpecCommand(store, tx, JOB, nextVersion, cause)).toMatchObject({ kind: 'appended', version: 1, created: true });
  });

  it('decides again on the new state after losing a race', async () => {
    const store = new FakeStore(2);
    expect(await runSpecCommand(store, tx, JOB, nextVersion, cause)).toMatchObject({ kind: 'appended', version: 3, created: false });
    expect(store.loads).toBe(3);
  });

  it('gives up with a conflict after a bounded number of attempts', async () => {
    const store = new FakeStore(100);
    expect(await runSpecCommand(store, tx, JOB, nextVersion, cause, 3)).toEqual({
      kind: 'rejected',
      errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })],
    });
  });

  it('returns unchanged and refusals without appending', async () => {
    const store = new FakeStore(0);
    expect(await runSpecCommand(store, tx, JOB, () => unchanged(4), cause)).toEqual({ kind: 'unchanged', version: 4 });
    expect(store.stream.streamVersion).toBe(0);
  });
});
