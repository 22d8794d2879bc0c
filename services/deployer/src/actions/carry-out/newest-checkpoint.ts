// A restore from a retained checkpoint names the newest one the log recorded; Flink may have
// completed a newer one (and subsumed the recorded one) after the last observation, before it
// lost the job. Beside a checkpoint on a local file system (the cluster's checkpoint directory
// as <dir>/<flink job id>/chk-N), the newest complete one (with its _metadata) is the state to
// start from. Anywhere else (another scheme, a directory this process cannot read), the
// recorded path stands.
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const CHECKPOINT_PATH = /^(file:(?:\/\/)?)(\/.*)\/chk-(\d+)\/?$/;

export interface NewestCheckpoint {
  readonly path: string;
  /** True when a newer checkpoint than the recorded one was found. */
  readonly newer: boolean;
}

export async function newestCheckpointBeside(recorded: string): Promise<NewestCheckpoint> {
  const match = CHECKPOINT_PATH.exec(recorded);
  if (!match) return { path: recorded, newer: false };
  const [, scheme, dir, id] = match;
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return { path: recorded, newer: false };
  }
  const ids = entries
    .map((name) => /^chk-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((n) => n > Number(id))
    .sort((a, b) => b - a);
  for (const candidate of ids) {
    const complete = await access(join(dir, `chk-${candidate}`, '_metadata')).then(() => true, () => false);
    if (complete) return { path: `${scheme}${dir}/chk-${candidate}`, newer: true };
  }
  return { path: recorded, newer: false };
}
