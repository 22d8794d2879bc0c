// Who an authenticated request comes from, with the grants that decide what it may do, and how
// that caller is written into events (the envelope's actor). Pure.
import { grantsAllow, type Actor } from '@fjc/contracts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role in one namespace, or in every namespace ("*"); `clusters` limits where its specs may run. */
export interface Grant {
  readonly role: Role;
  readonly namespace: string;
  readonly clusters?: readonly string[];
}

export interface Principal {
  /** user: a person or client of the identity provider; service: an FJC API token. */
  readonly kind: 'user' | 'service';
  readonly issuer: string;
  readonly subject: string;
  readonly name?: string;
  readonly tokenId?: string;
  readonly groups: readonly string[];
  readonly grants: readonly Grant[];
  readonly mayImpersonate: boolean;
  /** The service identity acting on behalf of this principal. */
  readonly via?: Principal;
}

/** The issuer FJC API tokens are written with in the actor. */
export const API_TOKEN_ISSUER = 'fjc:api-token';

// The rules are the contracts' (grantsAllow), so the console offers exactly what this allows.
export function hasRole(principal: Principal, role: Role, namespace: string): boolean {
  return grantsAllow(principal.grants, role, namespace);
}

/** Whether some grant of at least `role` in `namespace` lets a spec run on `cluster`. */
export function mayUseCluster(principal: Principal, role: Role, namespace: string, cluster: string): boolean {
  return grantsAllow(principal.grants, role, namespace, cluster);
}

/** The namespaces whose jobs the caller may see: "*" for all. */
export function visibleNamespaces(principal: Principal): '*' | readonly string[] {
  if (principal.grants.some((g) => g.namespace === '*')) return '*';
  return [...new Set(principal.grants.map((g) => g.namespace))];
}

export function mayRead(principal: Principal, namespace: string): boolean {
  return hasRole(principal, 'viewer', namespace);
}

export function actorOf(principal: Principal): Actor {
  const own = {
    kind: principal.kind,
    id: principal.subject,
    issuer: principal.issuer,
    subject: principal.subject,
    ...(principal.name ? { name: principal.name } : {}),
    ...(principal.tokenId ? { tokenId: principal.tokenId } : {}),
  };
  if (!principal.via) return own;
  const { via: _ignored, ...acting } = actorOf(principal.via);
  return { ...own, via: acting };
}
