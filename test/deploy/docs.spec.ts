// docs/deploy.md matches the files: every overlay and path it names exists and renders, and the
// Secrets it tells you to make are exactly those the manifests reference.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { K8S_DIR, kustomize, readText, ROOT } from './manifests';

const doc = readText(join(ROOT, 'docs', 'deploy.md'));

it('names only overlays that exist, and each renders', () => {
  const overlays = [...new Set([...doc.matchAll(/(?:kubectl kustomize|kubectl apply -k) (infra\/deploy\/kubernetes\/overlays\/[a-z-]+)/g)].map((m) => m[1]))];
  expect(overlays.sort()).toEqual(['infra/deploy/kubernetes/overlays/scaled', 'infra/deploy/kubernetes/overlays/small']);
  for (const overlay of overlays) expect(kustomize(join(ROOT, overlay)).length).toBeGreaterThan(0);
});

it('names files and folders that exist', () => {
  for (const path of ['infra/image/build.sh', 'infra/image/Containerfile', 'infra/deploy/compose/compose.yaml', 'docs/database-roles.md', 'docs/auth.md', 'docs/secrets.md']) {
    expect([path, doc.includes(path), existsSync(join(ROOT, path))]).toEqual([path, true, true]);
  }
});

it('tells you to make exactly the Secrets the manifests reference', () => {
  const made = new Set([...doc.matchAll(/create secret (?:generic|tls) ([a-z0-9-]+)/g)].map((m) => m[1]));
  const referenced = new Set<string>();
  const text = JSON.stringify(kustomize(join(K8S_DIR, 'overlays', 'scaled')));
  for (const m of text.matchAll(/"(?:secretName|name)":"(fjc-[a-z0-9-]+)"(?:,"key":"[^"]*")?/g)) {
    if (/secretName|secretKeyRef/.test(text.slice(Math.max(0, m.index - 40), m.index + m[0].length))) referenced.add(m[1]);
  }
  expect([...made].sort()).toEqual([...referenced].sort());
});
