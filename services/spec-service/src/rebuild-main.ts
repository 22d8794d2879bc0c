// `node services/spec-service/dist/rebuild-main.js [--after-position N]`, also reached as
// `fjc log replay --rebuild spec-service`: rebuilds the spec-service's projections from the log.
import { runRebuildEntry } from '@fjc/event-log';
import { rebuildProjections } from './rebuild/rebuild-projections';

runRebuildEntry('spec-service', async (pool, options) => {
  const report = await rebuildProjections(pool, options);
  return `spec-service projections rebuilt: ${report.replayed} events replayed, ${report.lifecycleEvents} lifecycle changes, ${report.jobs} job specs, ${report.templateVersions} template versions, ${report.pipelines} pipelines, ${report.pipelineRuns} pipeline runs`;
});
