// What the reconciler does when a running stream job gets a new spec version, as a pure
// function of the deployed spec and the new one: adopt the version without touching Flink
// (nothing or only metadata changed), or upgrade the Flink job, carrying state as the new
// spec's upgrade_mode says. The reconciler's decide and the spec-service's plan both call it,
// so a plan cannot promise what the reconciler would not do.
import type { JobSpec, UpgradeMode } from '../spec/job-spec';
import { classifySpecChange } from './classify-change';

export type SpecTransition =
  | { readonly kind: 'adopt'; readonly change: 'none' | 'metadata-only' }
  | { readonly kind: 'upgrade'; readonly change: 'rescale' | 'redeploy'; readonly upgradeMode: UpgradeMode };

export function specTransition(deployed: JobSpec, next: JobSpec): SpecTransition {
  const change = classifySpecChange(deployed, next);
  if (change === 'none' || change === 'metadata-only') return { kind: 'adopt', change };
  return { kind: 'upgrade', change, upgradeMode: next.deployment.upgrade_mode };
}

/** A job whose state FJC carries across upgrades, restarts and losses: a stream job not in stateless mode. */
export function keepsState(spec: JobSpec): boolean {
  return spec.job_type === 'stream' && spec.deployment.upgrade_mode !== 'stateless';
}
