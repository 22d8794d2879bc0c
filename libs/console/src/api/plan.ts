// The plan of an apply (POST /api/v1/jobs/{id}/plan, the same body and If-Match as the PUT):
// what FJC would do, step by step, before anything changes. A refusal (invalid spec, missing
// role, version conflict) is the one the apply would get.
import { PlanResponseSchema, type PlanResponse } from '@fjc/contracts';
import type { ApiClient } from './client';

/** `spec`: the spec as written (parsed from the editor's YAML or JSON), sent as JSON like the apply. */
export function planOf(client: ApiClient, jobId: string, spec: unknown, ifMatch?: number): Promise<PlanResponse> {
  return client.send('POST', `/jobs/${encodeURIComponent(jobId)}/plan`, PlanResponseSchema, { body: spec, ...(ifMatch !== undefined ? { ifMatch } : {}) });
}
