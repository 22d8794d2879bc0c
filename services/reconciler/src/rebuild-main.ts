// `node services/reconciler/dist/rebuild-main.js [--after-position N]`, also reached as
// `fjc log replay --rebuild reconciler`: rebuilds the reconciler's job states from the log.
// Stop the reconciler first.
import { runRebuildEntry } from '@fjc/event-log';
import { rebuildReconcilerJobs } from './rebuild/rebuild-jobs';

runRebuildEntry('reconciler', async (pool, options) => {
  const report = await rebuildReconcilerJobs(pool, options);
  return `reconciler job states rebuilt: ${report.replayed} events replayed, ${report.inputs} inputs, ${report.ownEvents} own events, ${report.jobs} jobs`;
});
