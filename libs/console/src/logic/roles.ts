// What the signed-in caller may do, from its grants (GET /api/v1/me) and the contracts' own role
// rule, so the console offers exactly the buttons the API would accept. Pure.
import { grantsAllow, roleNeededFor, type GrantView } from '@fjc/contracts';

export const JOB_ACTIONS = ['suspend', 'resume', 'rollback', 'savepoint', 'delete', 'apply'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export interface JobPlace {
  readonly namespace: string;
  readonly cluster: string;
}

/** The actions the caller may take on a job where it is now. */
export function allowedActions(grants: readonly GrantView[], job: JobPlace): ReadonlySet<JobAction> {
  return new Set(JOB_ACTIONS.filter((a) => grantsAllow(grants, roleNeededFor(a), job.namespace, a === 'apply' ? job.cluster : undefined)));
}

/** Whether the caller may apply specs at all (some operator grant somewhere): shows "Apply". */
export function mayApplySomewhere(grants: readonly GrantView[]): boolean {
  return grants.some((g) => g.role !== 'viewer');
}

/** A short line for the header: "operator in team-a, viewer in *". */
export function describeGrants(grants: readonly GrantView[]): string {
  if (grants.length === 0) return 'no roles';
  return grants.map((g) => `${g.role} in ${g.namespace === '*' ? 'every namespace' : g.namespace}${g.clusters ? ` (clusters ${g.clusters.join(', ')})` : ''}`).join(', ');
}
