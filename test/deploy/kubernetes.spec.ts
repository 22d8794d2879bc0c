// The Kubernetes manifests (infra/deploy/kubernetes): every overlay renders with `kubectl kustomize`,
// every object is valid against the API schemas, and the invariants of a production install
// hold (probes, limits, non-root read-only containers, secrets referenced and never inlined).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, K8S_DIR, type K8sObject, kustomize, readText, SERVICES, validateOffline } from './manifests';

type Container = {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  startupProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
};
type PodSpec = { containers: Container[]; securityContext?: Record<string, unknown>; volumes?: { name: string; secret?: unknown }[]; automountServiceAccountToken?: boolean; serviceAccountName?: string };

const overlays = readdirSync(join(K8S_DIR, 'overlays'));
const podSpecOf = (o: K8sObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const named = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

it('has a small and a scaled-out overlay', () => {
  expect(overlays.sort()).toEqual(['scaled', 'small']);
});

describe.each(overlays)('overlay %s', (overlay) => {
  const objects = kustomize(join(K8S_DIR, 'overlays', overlay));
  const deployments = named(objects, 'Deployment');
  const workloads = [...deployments, ...named(objects, 'Job')];

  it('validates every object against the Kubernetes API schemas', () => {
    const results = validateOffline(objects);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((r) => r.error !== null)).toEqual([]);
  });

  it('has a Deployment, Service and PodDisruptionBudget per service, the migration Job, an Ingress to the API', () => {
    for (const svc of SERVICES) {
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
        expect(named(objects, kind).map((o) => o.metadata.name)).toContain(`fjc-${svc}`);
      }
      const dep = deployments.find((d) => d.metadata.name === `fjc-${svc}`) as K8sObject;
      expect(podSpecOf(dep).containers[0].args).toEqual([svc]);
    }
    const job = named(objects, 'Job')[0];
    expect(podSpecOf(job).containers[0].args).toEqual(['migrate']);
    const ingress = named(objects, 'Ingress')[0] as unknown as { spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] } };
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('fjc-spec-service');
    expect(named(objects, 'NetworkPolicy')).toHaveLength(1);
    expect(named(objects, 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['fjc']);
    expect(objects.every((o) => o.kind === 'ServiceAccount' || (o.metadata as { namespace?: string }).namespace === 'fjc')).toBe(true);
  });

  it('gives every service container startup, liveness and readiness probes on the health paths', () => {
    for (const dep of deployments) {
      for (const c of podSpecOf(dep).containers) {
        expect([c.name, c.startupProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path]).toEqual([
          c.name,
          '/health/started',
          '/health/live',
          '/health/ready',
        ]);
      }
    }
  });

  it('gives every container requests and limits, and a non-root, read-only, unprivileged security context', () => {
    for (const w of workloads) {
      const pod = podSpecOf(w);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe('fjc');
      for (const c of pod.containers) {
        expect(Object.keys(c.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      }
    }
  });

  it('asks Prometheus to scrape every service on its own port', () => {
    for (const dep of deployments) {
      const tpl = (dep.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { ports: { containerPort: number }[] }[] } } }).template;
      expect(tpl.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics' });
      expect(Number(tpl.metadata.annotations['prometheus.io/port'])).toBe(tpl.spec.containers[0].ports[0].containerPort);
    }
  });

  it('takes credentials from Secrets only: no Secret object, no password or token value in env or config', () => {
    expect(named(objects, 'Secret')).toEqual([]);
    for (const w of workloads) {
      for (const c of podSpecOf(w).containers) {
        for (const e of c.env ?? []) {
          if (/PASSWORD|TOKEN|SECRET/.test(e.name) && e.value !== undefined) expect(e.value).toMatch(/^\/etc\/fjc\//); // a file path, never the value
          if (e.name === 'DATABASE_URL') expect(e.valueFrom).toEqual({ secretKeyRef: { name: 'fjc-db-owner', key: 'url' } });
        }
      }
    }
    const config = named(objects, 'ConfigMap')[0] as unknown as { data: Record<string, string> };
    for (const [key, value] of Object.entries(config.data)) {
      expect([key, /PASSWORD|TOKEN|SECRET/.test(key)]).toEqual([key, false]);
      expect([key, /\/\/[^/@]*:[^/@]*@/.test(value)]).toEqual([key, false]); // no user:password@ in a URL
    }
  });

  it('mounts only its own database password into each service', () => {
    for (const svc of SERVICES) {
      const dep = deployments.find((d) => d.metadata.name === `fjc-${svc}`) as K8sObject;
      const vol = podSpecOf(dep).volumes?.find((v) => v.name === 'pg-password');
      expect(vol?.secret).toMatchObject({ secretName: 'fjc-db-passwords', items: [{ key: svc, path: svc }] });
    }
  });
});

it('scales out in the scaled overlay: several replicas and a CPU autoscaler per service, bounded by the partitions', () => {
  const objects = kustomize(join(K8S_DIR, 'overlays', 'scaled'));
  const partitions = Number((objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> }).data.FJC_TOPIC_PARTITIONS);
  for (const svc of SERVICES) {
    const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `fjc-${svc}`) as K8sObject;
    expect((dep.spec as { replicas: number }).replicas).toBeGreaterThan(1);
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `fjc-${svc}`) as unknown as { spec: { maxReplicas: number; scaleTargetRef: { name: string } } };
    expect(hpa.spec.scaleTargetRef.name).toBe(`fjc-${svc}`);
    expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
  }
});

it('catches an invalid object (the offline validation can fail)', () => {
  const [result] = validateOffline([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'three', selector: {}, template: {} } }]);
  expect(result.error).toMatch(/replicas/);
});

it('keeps no Secret object and no private key in the deployment files', () => {
  for (const file of filesUnder(join(K8S_DIR, '..'))) {
    const text = readText(file);
    expect([file, /^kind:\s*Secret\s*$/m.test(text)]).toEqual([file, false]);
    expect([file, /BEGIN [A-Z ]*PRIVATE KEY/.test(text)]).toEqual([file, false]);
  }
});
