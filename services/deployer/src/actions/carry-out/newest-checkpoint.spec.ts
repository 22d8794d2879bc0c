import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestCheckpointBeside } from './newest-checkpoint';

describe('newestCheckpointBeside', () => {
  let root: string;
  const job = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const chk = (n: number, complete = true) => {
    mkdirSync(join(root, job, `chk-${n}`), { recursive: true });
    if (complete) writeFileSync(join(root, job, `chk-${n}`, '_metadata'), 'x');
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fjc-chk-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds a newer complete checkpoint beside the recorded one, in the same scheme form', async () => {
    chk(5);
    chk(6);
    chk(7, false); // still being written when Flink died: no _metadata
    expect(await newestCheckpointBeside(`file:${root}/${job}/chk-5`)).toEqual({ path: `file:${root}/${job}/chk-6`, newer: true });
    expect(await newestCheckpointBeside(`file://${root}/${job}/chk-5`)).toEqual({ path: `file://${root}/${job}/chk-6`, newer: true });
  });

  it('keeps the recorded one when none is newer, the directory is gone, or the scheme is not local', async () => {
    chk(5);
    expect(await newestCheckpointBeside(`file:${root}/${job}/chk-5`)).toEqual({ path: `file:${root}/${job}/chk-5`, newer: false });
    expect(await newestCheckpointBeside(`file:${root}/gone/chk-5`)).toEqual({ path: `file:${root}/gone/chk-5`, newer: false });
    expect(await newestCheckpointBeside('s3://bucket/chk/x/chk-5')).toEqual({ path: 's3://bucket/chk/x/chk-5', newer: false });
  });
});
