// The plan of an apply (POST /api/v1/jobs/{id}/plan, same body as PUT): what FJC would do before
// anything changes. Read with the fields the console shows; null when this API has no plan route
// yet (a 404 that is not about the job), and the apply page shows its own validation and diff.
import { z } from 'zod';
import { ApiError, type ApiClient } from './client';

export const PlanViewSchema = z.object({
  changeClass: z.string(),
  summary: z.string().optional(),
  changed: z.boolean().optional(),
  steps: z.array(z.object({ kind: z.string(), text: z.string() })),
  slots: z.object({ cluster: z.string(), needed: z.int(), free: z.int().nullable(), enough: z.boolean().nullable(), note: z.string() }).partial().optional(),
  diff: z.array(z.object({ path: z.string(), old: z.unknown(), new: z.unknown(), effect: z.string().optional() })),
  warnings: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

/** `spec`: the spec as written (parsed from the editor's YAML or JSON), sent as JSON like the apply. */
export async function planOf(client: ApiClient, jobId: string, spec: unknown): Promise<PlanView | null> {
  try {
    return await client.send('POST', `/jobs/${encodeURIComponent(jobId)}/plan`, PlanViewSchema, { body: spec });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === 'FJC_NOT_FOUND') return null;
    throw err;
  }
}
