// Taking a job down: cancel it unless it is already gone, and wait until Flink reports it
// terminal. Both are safe to repeat, which is what lets an interrupted action simply run again.
import { FlinkProtocolError } from '@fjc/flink-client';
import type { FlinkJobState } from '@fjc/contracts';
import { isTerminal } from '../../flink/flink-port';
import { deadline, type CarryOutContext } from './carry-out-context';

export type JobEnd = FlinkJobState | 'NOT_FOUND';

/** Polls until the job is terminal or unknown; throws WaitTimeoutError after the terminal timeout. */
export async function waitUntilTerminal(ctx: CarryOutContext, flinkJobId: string): Promise<JobEnd> {
  const until = deadline(ctx, ctx.terminalTimeoutMs, `job ${flinkJobId} reaching a terminal state`);
  for (;;) {
    const state = (await ctx.flink.job(flinkJobId))?.state ?? 'NOT_FOUND';
    if (isTerminal(state)) return state;
    until.check();
    await ctx.sleep(ctx.pollMs, ctx.signal);
  }
}

/** Cancels the job (an unknown or finished job counts as gone) and waits until it is terminal. */
export async function cancelAndWait(ctx: CarryOutContext, flinkJobId: string): Promise<JobEnd> {
  const before = (await ctx.flink.job(flinkJobId))?.state ?? 'NOT_FOUND';
  if (isTerminal(before)) return before;
  try {
    const known = await ctx.flink.cancel(flinkJobId);
    if (!known) return 'NOT_FOUND';
  } catch (err) {
    // Flink answers 409 when the job reached a terminal state between our read and the cancel.
    if (!(err instanceof FlinkProtocolError)) throw err;
    const now = (await ctx.flink.job(flinkJobId))?.state ?? 'NOT_FOUND';
    if (!isTerminal(now)) throw err;
    return now;
  }
  ctx.log({ event: 'flink.job.cancelled', flinkJobId }, 'cancellation requested');
  return waitUntilTerminal(ctx, flinkJobId);
}
