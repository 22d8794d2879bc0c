// CleanUp (batch_config.max_runs): deletes from the cluster the jars the job's ended runs ran
// from, each only when no other live job or open action of the cluster uses it, the way the
// cleanup of one ended run (cleanup_on_completion) does: forgotten in deployer_jars first (a
// submission racing us uploads it again), then deleted. Only the jar ids this deployer knows are
// deleted, never other copies Flink lists under the same name: another FJC (or test world) on
// the same cluster may have uploaded one for jobs this deployer cannot see, and deleting it would
// send their next submission through a re-upload, or fail it if the deletion races that. So a
// jar whose id a rebuilt deployer never learnt stays on the cluster (logged). Repeating it is
// safe: a jar already gone is simply not counted. The runs' records are pruned with the result,
// in the transaction that records it (execute-action.ts).
import type { DeployerAction } from '@fjc/contracts';
import type { ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';

type CleanUpAction = Extract<DeployerAction, { kind: 'CleanUp' }>;

export async function cleanUp(ctx: CarryOutContext, action: CleanUpAction): Promise<ActionOutcome> {
  const jars = await ctx.runJars.jarsOfRuns(ctx.cluster, action.flinkJobIds);
  let jarsDeleted = 0;
  for (const jar of jars) {
    // The runs being cleaned up are ended: only another job's use keeps the jar.
    if (await ctx.runJars.jarInUse(jar, action.flinkJobIds)) {
      ctx.log({ event: 'jar.cleanup.kept', sha256: jar.sha256, jarIds: jar.jarIds }, 'another job or open action of the cluster uses the jar: kept');
      continue;
    }
    if (jar.jarIds.length === 0) {
      ctx.log({ event: 'jar.cleanup.unknown', sha256: jar.sha256 }, 'the runs ended, but this deployer does not know the id of their jar on the cluster: kept');
      continue;
    }
    for (const jarId of jar.jarIds) await ctx.runJars.forgetJar({ cluster: jar.cluster, sha256: jar.sha256, jarId });
    let deleted = 0;
    for (const jarId of jar.jarIds) {
      if (await ctx.flink.deleteJar(jarId)) deleted++;
    }
    jarsDeleted += deleted;
    ctx.log({ event: 'jar.deleted', sha256: jar.sha256, jarIds: jar.jarIds, deleted }, deleted > 0 ? 'the runs ended; their jar was deleted from the cluster (max_runs)' : 'the runs ended; their jar was already gone');
  }
  return { ok: true, jarsDeleted };
}
