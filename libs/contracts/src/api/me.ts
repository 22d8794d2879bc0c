// GET /api/v1/me: who the caller is, the grants that decide what it may do, and the Flink UI
// links the operators publish. Read by the console (to offer only the buttons a role may use)
// and by scripts; the spec-service answers it. The role rules live here so both agree.
import { z } from 'zod';

export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const GrantViewSchema = z.object({
  role: z.enum(API_ROLES),
  /** A namespace, or "*" for every namespace. */
  namespace: z.string().min(1),
  /** The clusters the grant's specs may run on; absent: any. */
  clusters: z.array(z.string().min(1)).optional(),
});
export type GrantView = z.infer<typeof GrantViewSchema>;

export const MeResponseSchema = z.object({
  /** user: a person or client of the identity provider; service: an FJC API token. */
  kind: z.enum(['user', 'service']),
  issuer: z.string(),
  subject: z.string(),
  name: z.string().optional(),
  tokenId: z.string().optional(),
  grants: z.array(GrantViewSchema),
  /** The public web UI of each Flink cluster, by cluster name (FJC_CLUSTER_UI_URLS); a cluster not listed has no link. */
  clusterUiUrls: z.record(z.string(), z.url()),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

const RANK: Readonly<Record<ApiRole, number>> = { viewer: 1, operator: 2, admin: 3 };

/** Every spec command needs operator, except delete (admin). */
export function roleNeededFor(command: string): ApiRole {
  return command === 'delete' ? 'admin' : 'operator';
}

/** A grant as the rules read it (the spec-service's Principal grants and GrantView alike). */
export interface RoleGrant {
  readonly role: ApiRole;
  readonly namespace: string;
  readonly clusters?: readonly string[];
}

/** Whether some grant of at least `role` covers `namespace` (and `cluster`, when given). */
export function grantsAllow(grants: readonly RoleGrant[], role: ApiRole, namespace: string, cluster?: string): boolean {
  return grants.some(
    (g) =>
      (g.namespace === '*' || g.namespace === namespace) &&
      RANK[g.role] >= RANK[role] &&
      (cluster === undefined || g.clusters === undefined || g.clusters.includes(cluster)),
  );
}
