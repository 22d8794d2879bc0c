// The single-host compose file (infra/deploy/compose/compose.yaml), parsed and checked for the same
// invariants as the Kubernetes manifests: every container has a health check; FJC's run the one
// image as the non-root user, read-only, without capabilities, with limits and a grace period;
// secrets come from files outside the repository and never appear as values. (Images of third
// parties are not pulled here, so the file is not started.)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readText, ROOT, SERVICES } from './manifests';

type ComposeService = {
  image: string;
  command?: string[] | string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
};
type Compose = { services: Record<string, ComposeService>; secrets: Record<string, { file: string }>; volumes: Record<string, unknown> };

const FILE = join(ROOT, 'infra', 'deploy', 'compose', 'compose.yaml');
const compose = parse(readText(FILE), { merge: true }) as Compose;
const fjc = ['migrate', ...SERVICES];

it('runs the four services, the migration step, PostgreSQL, Kafka and one Flink session cluster', () => {
  expect(Object.keys(compose.services).sort()).toEqual([...fjc, 'postgres', 'kafka', 'flink-jobmanager', 'flink-taskmanager'].sort());
  for (const svc of fjc) {
    expect(compose.services[svc].image).toBe('${FJC_IMAGE:-localhost/fjc:0.1.0}');
    expect(compose.services[svc].command).toEqual([svc]);
  }
});

it('gives every long-running container a health check, and starts FJC after the migration step and a healthy Kafka', () => {
  for (const [name, svc] of Object.entries(compose.services)) {
    if (name === 'migrate') continue;
    expect([name, Array.isArray(svc.healthcheck?.test)]).toEqual([name, true]);
  }
  for (const svc of SERVICES) {
    expect(compose.services[svc].depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, kafka: { condition: 'service_healthy' } });
    expect(compose.services[svc].healthcheck?.test).toEqual(['CMD', '/usr/local/bin/node', '/app/infra/image/healthcheck.js']);
  }
  expect(compose.services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
});

it('runs FJC non-root, read-only, without capabilities, with limits and a 30 s grace period', () => {
  for (const svc of fjc) {
    const s = compose.services[svc];
    expect({ svc, user: s.user, readOnly: s.read_only, capDrop: s.cap_drop, grace: s.stop_grace_period }).toEqual({ svc, user: '10001:10001', readOnly: true, capDrop: ['ALL'], grace: '30s' });
    expect(s.security_opt).toContain('no-new-privileges:true');
    expect(Object.keys(s.deploy?.resources?.limits ?? {}).sort()).toEqual(['cpus', 'memory']);
  }
});

it('keeps data in named volumes', () => {
  expect(Object.keys(compose.volumes).sort()).toEqual(['flink-data', 'kafka-data', 'postgres-data']);
  expect(compose.services.postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
  expect(compose.services.kafka.volumes).toEqual(['kafka-data:/var/lib/kafka/data']);
});

it('gives each service only its own database password, the owner\'s only to the migration step', () => {
  for (const svc of SERVICES) {
    const s = compose.services[svc];
    expect(s.secrets?.filter((x) => x !== 'admin-token')).toEqual([svc]);
    expect(s.environment?.DATABASE_URL).toBeUndefined();
    expect(s.environment?.FJC_SERVICE_DATABASE_URL).toBe(`postgres://fjc_${svc.replace('-', '_')}@postgres:5432/fjc`);
  }
  expect(compose.services.migrate.secrets?.sort()).toEqual(['deployer', 'postgres-pgpass', 'reconciler', 'scheduler', 'spec-service']);
});

it('takes secrets from files outside the repository and never inlines a value', () => {
  const dir = dirname(FILE);
  for (const [name, secret] of Object.entries(compose.secrets)) {
    expect([name, secret.file.startsWith('./secrets/')]).toEqual([name, true]);
    expect([name, existsSync(resolve(dir, secret.file))]).toEqual([name, false]);
  }
  expect(readText(join(dir, '.gitignore'))).toContain('secrets/');
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (/PASSWORD|TOKEN|SECRET|PGPASS/.test(key)) expect([name, key, value]).toEqual([name, key, expect.stringMatching(/^\/(run\/secrets|etc\/fjc)(\/|$)/)]);
      expect([name, key, /\/\/[^/@]*:[^/@]*@/.test(String(value))]).toEqual([name, key, false]);
    }
  }
});
