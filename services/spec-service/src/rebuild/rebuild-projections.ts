// Rebuilding the spec-service's projections from the event log (recovery): job_status from the
// reconciler's LifecycleChanged events, job_specs from each job's spec stream, job_templates
// from each template stream's TemplateVersionRecorded events, and the pipeline tables from the
// pipeline and run streams (pipelines/rebuild-pipelines.ts). From the start
// it clears both tables first; from a position it folds in only what follows (job_status keeps
// its per-job version guard, job_specs is recomputed whole for every job the replay touches).
// Runs in one transaction, so readers see the old projection or the new one, never half.
import type { Pool } from 'pg';
import { decodeEvent } from '@fjc/contracts';
import { inTransaction, readStream, replayLog, toEnvelope, type LogCheckpoint, type ProgressReport, type StoredEvent } from '@fjc/event-log';
import { rebuildPipelines } from '../pipelines/rebuild-pipelines';
import { saveJobSpec } from '../read-model/job-specs-table';
import { recordLifecycle } from '../read-model/job-status-table';
import { decodeSpecStreamEvent } from '../spec-stream/decode-spec-event';
import { emptySpecStream, evolve, isSpecStreamEventType, specStreamId } from '../spec-stream/spec-stream';
import { decodeTemplateEvent, saveTemplateVersion } from '../template-stream/pg-template-store';

export interface RebuildReport {
  readonly replayed: number;
  readonly lifecycleEvents: number;
  readonly jobs: number;
  readonly pipelines: number;
  readonly pipelineRuns: number;
  readonly templateVersions: number;
}

export async function rebuildProjections(
  pool: Pool,
  options: { from?: LogCheckpoint; now?: Date; onProgress?: (p: ProgressReport) => void; archived?: readonly StoredEvent[] } = {},
): Promise<RebuildReport> {
  return inTransaction(pool, async (tx) => {
    if (!options.from) await tx.query('delete from job_status; delete from job_specs; delete from job_templates');
    const touched = new Set<string>();
    let lifecycleEvents = 0;
    let templateVersions = 0;
    const { replayed } = await replayLog(
      tx,
      async (stored) => {
        if (stored.type === 'LifecycleChanged') {
          const decoded = decodeEvent(toEnvelope(stored), { topic: 'jobLifecycle' });
          if (!decoded.ok) throw new Error(`${decoded.code}: position ${stored.position}: ${decoded.message}`);
          if (decoded.event.type === 'LifecycleChanged') {
            await recordLifecycle(tx, decoded.event);
            lifecycleEvents++;
          }
        } else if (stored.type === 'TemplateVersionRecorded') {
          // Versions are immutable: saving one again changes nothing.
          await saveTemplateVersion(tx, decodeTemplateEvent(stored).payload, stored.metadata.actor, stored.occurredAt);
          templateVersions++;
        } else if (stored.streamId === specStreamId(stored.jobId) && isSpecStreamEventType(stored.type)) {
          touched.add(stored.jobId);
        }
      },
      { from: options.from, onProgress: options.onProgress, archived: options.archived },
    );
    for (const jobId of touched) {
      const stream = (await readStream(tx, specStreamId(jobId))).map(decodeSpecStreamEvent).reduce(evolve, emptySpecStream(jobId));
      await saveJobSpec(tx, stream, options.now ?? new Date());
    }
    // Pipelines and their runs are few and small: always rebuilt whole.
    const pipelines = await rebuildPipelines(tx, options.now ?? new Date());
    return { replayed, lifecycleEvents, jobs: touched.size, templateVersions, pipelines: pipelines.pipelines, pipelineRuns: pipelines.runs };
  });
}
