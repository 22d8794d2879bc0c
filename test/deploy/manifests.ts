// Shared by the deployment specs: render a kustomize overlay, read YAML documents, and the
// invariants every FJC container must keep, wherever it is declared (Kubernetes or compose).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const K8S_DIR = join(ROOT, 'infra', 'deploy', 'kubernetes');
export const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown }; [k: string]: unknown };

/** The objects `kubectl kustomize DIR` renders. */
export function kustomize(dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kubectl not found: the manifest tests render each overlay with `kubectl kustomize` (kubectl 1.14 or newer on PATH)');
    throw err;
  }
  return parseYamlDocuments(out) as K8sObject[];
}

export function parseYamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
      return doc.toJSON() as unknown;
    })
    .filter((doc) => doc !== null);
}

/** Errors of each object against the Kubernetes API schemas (kubernetes-models, offline). */
export function validateOffline(objects: readonly unknown[]): { kind: string; name: string; error: string | null }[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'k8s-validate.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: ROOT,
  });
  return JSON.parse(out) as { kind: string; name: string; error: string | null }[];
}

/** Every file under DIR (recursively). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
