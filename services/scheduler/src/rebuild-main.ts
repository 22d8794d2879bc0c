// `node services/scheduler/dist/rebuild-main.js [--after-position N]`, also reached as
// `fjc log replay --rebuild scheduler`: rebuilds the scheduler's schedules from the log.
import { runRebuildEntry } from '@fjc/event-log';
import { rebuildSchedules } from './rebuild/rebuild-schedules';

runRebuildEntry('scheduler', async (pool, options) => {
  const report = await rebuildSchedules(pool, options);
  return `scheduler schedules rebuilt: ${report.replayed} events replayed, ${report.specEvents} spec events, ${report.ticks} ticks, ${report.schedules} schedules`;
});
