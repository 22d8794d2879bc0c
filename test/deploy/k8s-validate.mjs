// Validates Kubernetes objects offline against the API's OpenAPI schemas (kubernetes-models,
// an ESM-only package, hence a child process of the jest spec). Reads a JSON array of objects on
// stdin, writes a JSON array of {kind, name, error} (error null when the object is valid).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const obj of objects) {
  let error = null;
  try {
    const mod = await import(`kubernetes-models/${obj.apiVersion}`);
    const Model = mod[obj.kind];
    if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
    new Model(obj).validate();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  results.push({ kind: obj.kind, name: obj.metadata?.name, error });
}
process.stdout.write(JSON.stringify(results));
