import { deleted, given, specOf, suspended, updated } from '../testing/spec-stream-fixtures';
import type { SpecStreamEvent } from './spec-stream';
import { currentSpec, currentVersionNumber, evolve } from './spec-stream';

describe('evolve', () => {
  it('keeps every spec version, the last one current', () => {
    const stream = given(updated(1), updated(2, specOf({ deployment: { parallelism: 2 } })), suspended(3));
    expect(stream.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(currentSpec(stream)?.spec.state).toBe('suspended');
    expect(stream.streamVersion).toBe(3);
  });

  it('counts a savepoint request in the stream but makes no spec version', () => {
    const stream = evolve(given(updated(1)), { type: 'SavepointRequested', payload: { requestId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' } });
    expect(stream.streamVersion).toBe(2);
    expect(currentVersionNumber(stream)).toBe(1);
  });

  it('marks the job deleted', () => {
    expect(given(updated(1), deleted(1)).deleted).toBe(true);
    expect(currentVersionNumber(given())).toBe(0);
  });

  it('is a job again after a version follows the delete, with every earlier version kept', () => {
    const again = given(updated(1), deleted(1), updated(2));
    expect(again.deleted).toBe(false);
    expect(again.versions.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('evolve: the template use of each version', () => {
  const use = (version: number) => ({ name: 'stream-base', version, params: { parallelism: 2 }, fields: { job_id: 'orders-enricher' } });
  const templated = (version: number, templateVersion: number): SpecStreamEvent => {
    const event = updated(version);
    return event.type === 'SpecUpdated' ? { ...event, payload: { ...event.payload, template: use(templateVersion) } } : event;
  };

  it('records the template a version was rendered from, and none for a spec written whole', () => {
    const stream = given(templated(1, 1), updated(2));
    expect(stream.versions.map((v) => v.template)).toEqual([use(1), undefined]);
  });

  it('keeps the template use through a suspend, and takes the one of the version a rollback repeats', () => {
    const stream = given(templated(1, 1), templated(2, 2), suspended(3));
    expect(currentSpec(stream)?.template).toEqual(use(2));
    const rolledBack = evolve(stream, { type: 'JobRolledBack', payload: { version: 4, specHash: stream.versions[0].specHash, spec: stream.versions[0].spec, fromVersion: 3, toVersion: 1 } });
    expect(currentSpec(rolledBack)?.template).toEqual(use(1));
  });
});
