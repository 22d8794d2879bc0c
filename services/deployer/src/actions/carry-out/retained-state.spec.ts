import { latestRetainedState } from './retained-state';

describe('latestRetainedState', () => {
  it.each([
    ['an unknown job', null, undefined],
    ['no checkpoints', {}, undefined],
    ['a checkpoint that is not retained', { latestCompleted: { id: 4 } }, undefined],
    ['checkpoint newer than savepoint', { latestCompleted: { id: 9, externalPath: 'chk-9' }, latestSavepoint: { id: 5, externalPath: 'sp-5' } }, 'chk-9'],
    ['savepoint newer than checkpoint', { latestCompleted: { id: 3, externalPath: 'chk-3' }, latestSavepoint: { id: 5, externalPath: 'sp-5' } }, 'sp-5'],
    ['only the restore source', { restored: { id: 2, externalPath: 'sp-2' } }, 'sp-2'],
  ])('%s -> %s', (_name, summary, expected) => {
    expect(latestRetainedState(summary)).toBe(expected);
  });
});
