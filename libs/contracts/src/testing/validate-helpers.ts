// Small helpers shared by tests: parse a spec document or fail the test with its errors.
import { validateSpecDocument } from '../document/validate-document';
import type { JobSpec } from '../spec/job-spec';

export function validateDocument(text: string, filename: string): JobSpec {
  const result = validateSpecDocument(text, filename);
  if (!result.ok) throw new Error(`${filename} is not valid: ${JSON.stringify(result.errors)}`);
  return result.spec;
}
