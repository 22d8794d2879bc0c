// infra/observability without a stack: the rule file passes `promtool check rules` and its own
// `promtool test rules`; every alert has a test case where it fires and one where it does not,
// and a runbook section in docs/alerts.md; the dashboards and rules only use metrics that
// docs/metrics.md documents. (test/scenarios/prometheus.spec.ts runs them against a real
// Prometheus scraping the services.)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './manifests';

const DIR = join(ROOT, 'infra', 'observability');
const RULES = join(DIR, 'rules', 'fjc-alerts.yml');
const TESTS = join(DIR, 'rules', 'fjc-alerts.test.yml');

interface Rule { alert: string; expr: string; annotations: Record<string, string> }
const rules = (parseYaml(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: join(DIR, 'rules'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool not found: npm test installs Debian\'s prometheus package (scripts/lib.sh ensure_observability_tools)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('alert rules', () => {
  it('pass promtool check rules', () => {
    expect(promtool('check', 'rules', 'fjc-alerts.yml')).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('pass their promtool unit tests', () => {
    expect(promtool('test', 'rules', 'fjc-alerts.test.yml')).toContain('SUCCESS');
  });

  it('each have a test case where they fire and one where they do not', () => {
    const cases = (parseYaml(readFileSync(TESTS, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests.flatMap((t) => t.alert_rule_test ?? []);
    const missing = rules.flatMap((r) => {
      const mine = cases.filter((c) => c.alertname === r.alert);
      return [...(mine.some((c) => c.exp_alerts.length > 0) ? [] : [`${r.alert}: no case where it fires`]), ...(mine.some((c) => c.exp_alerts.length === 0) ? [] : [`${r.alert}: no case where it stays quiet`])];
    });
    expect(missing).toEqual([]);
  });

  it('each have a summary and a runbook section in docs/alerts.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8');
    const sections = new Set([...doc.matchAll(/^## (Fjc\w+)$/gm)].map((m) => m[1]));
    const problems = rules.flatMap((r) => [
      ...(r.annotations.summary ? [] : [`${r.alert}: no summary`]),
      ...(sections.has(r.alert) ? [] : [`${r.alert}: no section in docs/alerts.md`]),
      ...(r.annotations.runbook_url === `docs/alerts.md#${r.alert.toLowerCase()}` ? [] : [`${r.alert}: runbook_url ${r.annotations.runbook_url}`]),
    ]);
    expect(problems).toEqual([]);
    expect([...sections].sort()).toEqual(rules.map((r) => r.alert).sort());
  });
});

it('dashboards and rules use only documented metrics', () => {
  const metricsDoc = readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8');
  const documented = new Set([...metricsDoc.matchAll(/^\| `(fjc_[a-z0-9_]+)` \|/gm)].map((m) => m[1]));
  const texts = [readFileSync(RULES, 'utf8'), ...readdirSync(join(DIR, 'dashboards')).map((f) => readFileSync(join(DIR, 'dashboards', f), 'utf8'))];
  const used = new Set(texts.flatMap((t) => [...t.matchAll(/\bfjc_[a-z0-9_]+/g)].map((m) => m[0])));
  const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
  const undocumented = [...used].filter((n) => !/^fjc_(process|nodejs)_/.test(n) && !documented.has(n) && !documented.has(base(n)));
  expect(undocumented).toEqual([]);
  expect(used.size).toBeGreaterThan(25);
});
