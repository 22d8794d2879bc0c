// `node services/deployer/dist/rebuild-main.js [--after-position N]`, also reached as
// `fjc log replay --rebuild deployer`: rebuilds the deployer's action queue and the Flink jobs
// it observes from the log. Stop the deployer first.
import { runRebuildEntry } from '@fjc/event-log';
import { rebuildDeployerTables } from './rebuild/rebuild-deployer';

runRebuildEntry('deployer', async (pool, options) => {
  const report = await rebuildDeployerTables(pool, options);
  return `deployer actions and observed jobs rebuilt: ${report.replayed} events replayed, ${report.actions} actions, ${report.results} results, ${report.observations} observations`;
});
