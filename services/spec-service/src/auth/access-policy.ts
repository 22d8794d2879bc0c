// Grants of OIDC users and groups, from the policy file (FJC_AUTH_POLICY_FILE, YAML or JSON),
// read once at start. Grants live in a file, reviewed and versioned with the deployment like
// the identity provider's settings, so no API call can widen them; API tokens carry their own
// grant in api_tokens. See docs/auth.md.
//   grants:
//     - { group: fjc-admins, role: admin, namespace: "*" }
//     - { subject: alice, issuer: https://idp.example.com, role: operator, namespace: team-a, clusters: [default] }
//   impersonators:
//     - { subject: api-gateway }      # may send X-FJC-On-Behalf-Of
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { JobIdSchema as ResourceNameSchema } from '@fjc/contracts';
import { ROLES, type Grant } from './principal';

const NamespaceSchema = z.union([z.literal('*'), ResourceNameSchema]);

const GrantEntrySchema = z
  .strictObject({
    subject: z.string().min(1).optional(),
    /** Defaults to FJC_AUTH_ISSUER. */
    issuer: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
    role: z.enum(ROLES),
    namespace: NamespaceSchema,
    clusters: z.array(ResourceNameSchema).optional(),
  })
  .refine((g) => (g.subject === undefined) !== (g.group === undefined), { message: 'a grant names either a subject or a group' });

const ImpersonatorSchema = z.strictObject({ subject: z.string().min(1), issuer: z.string().min(1).optional() });

export const AccessPolicySchema = z.strictObject({
  grants: z.array(GrantEntrySchema).default([]),
  impersonators: z.array(ImpersonatorSchema).default([]),
});
export type AccessPolicyFile = z.infer<typeof AccessPolicySchema>;

export class AccessPolicy {
  constructor(
    private readonly file: AccessPolicyFile,
    private readonly defaultIssuer: string | null,
  ) {}

  static empty(): AccessPolicy {
    return new AccessPolicy({ grants: [], impersonators: [] }, null);
  }

  static load(path: string, defaultIssuer: string | null): AccessPolicy {
    const parsed = AccessPolicySchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw Object.assign(new Error(`FJC_AUTH_POLICY_FILE ${path} is not valid: ${detail}`), { code: 'FJC_AUTH_CONFIG_INVALID' });
    }
    return new AccessPolicy(parsed.data, defaultIssuer);
  }

  grantsFor(issuer: string, subject: string, groups: readonly string[]): Grant[] {
    return this.file.grants
      .filter((g) => (g.subject !== undefined ? g.subject === subject && (g.issuer ?? this.defaultIssuer) === issuer : groups.includes(g.group ?? '')))
      .map((g) => ({ role: g.role, namespace: g.namespace, ...(g.clusters ? { clusters: g.clusters } : {}) }));
  }

  mayImpersonate(issuer: string, subject: string): boolean {
    return this.file.impersonators.some((i) => i.subject === subject && (i.issuer ?? this.defaultIssuer) === issuer);
  }
}
