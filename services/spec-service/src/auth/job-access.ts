// Who may run which spec command on a job, from the job's current namespace and the one its new
// spec names. Pure; SpecCommandRunner asks it after loading the stream, inside the transaction.
// A job the caller may not even see is "not found", so its existence does not leak.
import { roleNeededFor } from '@fjc/contracts';
import { commandErrors, type CommandError } from '../spec-stream/command-error';
import { hasRole, mayRead, mayUseCluster, type Principal } from './principal';

export interface JobPlace {
  readonly namespace: string;
  readonly cluster: string;
}

export function forbidden(message: string): CommandError {
  return { code: 'FJC_FORBIDDEN', path: '', message };
}

/**
 * `current`: where the job is now (null for a job that never existed); `target`: where a new
 * spec puts it (apply only).
 */
export function refusalOf(principal: Principal, command: string, jobId: string, current: JobPlace | null, target?: JobPlace): CommandError | null {
  // Operator for every command, admin for delete: the contracts' rule, which the console reads too.
  const role = roleNeededFor(command);
  if (current !== null) {
    if (!mayRead(principal, current.namespace)) return commandErrors.jobNotFound(jobId);
    if (!hasRole(principal, role, current.namespace)) {
      return forbidden(`${command} of ${jobId} needs the ${role} role in namespace ${current.namespace}`);
    }
  }
  if (target !== undefined) {
    if (!hasRole(principal, role, target.namespace)) return forbidden(`${command} of ${jobId} needs the ${role} role in namespace ${target.namespace}`);
    if (!mayUseCluster(principal, role, target.namespace, target.cluster)) {
      return { code: 'FJC_FORBIDDEN', path: 'cluster', message: `namespace ${target.namespace} may not run jobs on cluster ${target.cluster}` };
    }
  }
  return null;
}
