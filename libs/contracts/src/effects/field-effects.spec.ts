import fc from 'fast-check';
import { JobSpecSchema, type JobSpec } from '../spec/job-spec';
import { leafFields } from '../spec/schema-walk';
import { validateSpec } from '../spec/validate-spec';
import { specInput } from '../testing/spec-arbitraries';
import { baseFor, withField } from '../testing/spec-cases';
import { classifySpecChange } from './classify-change';
import { FIELD_EFFECTS, FLINK_KEY_SUPPORT, FLINK_LINES, RUN_REQUEST_FIELDS, flinkLineOf, keysUnreadBy, type FieldEffect } from './field-effects';
import { flinkSubmission } from './flink-submission';

function parse(input: unknown): JobSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const withoutWarnings = (spec: JobSpec) => {
  const { warnings: _warnings, ...rest } = flinkSubmission(spec);
  return rest;
};

describe('FIELD_EFFECTS', () => {
  it('has exactly one row for every field of the schema', () => {
    const schemaFields = leafFields(JobSpecSchema).map((leaf) => leaf.path);
    const tableFields = FIELD_EFFECTS.map((effect) => effect.path);
    expect(new Set(tableFields).size).toBe(tableFields.length);
    expect([...tableFields].sort()).toEqual([...schemaFields].sort());
  });

  it('says something for every field: a Flink effect, a warning, or what FJC does', () => {
    for (const effect of FIELD_EFFECTS) {
      const says = (effect.flinkKeys?.length ?? 0) + (effect.runRequest?.length ?? 0) + (effect.warning ? 1 : 0) + (effect.fjc ? 1 : 0);
      expect([effect.path, says > 0]).toEqual([effect.path, true]);
    }
  });

  it('declares an apply function exactly for the fields with Flink effects', () => {
    for (const effect of FIELD_EFFECTS) {
      const hasFlinkEffect = (effect.flinkKeys?.length ?? 0) + (effect.runRequest?.length ?? 0) > 0;
      expect([effect.path, effect.apply !== undefined]).toEqual([effect.path, hasFlinkEffect]);
    }
  });

  it('steers only rows that exist', () => {
    const paths = new Set(FIELD_EFFECTS.map((effect) => effect.path));
    for (const effect of FIELD_EFFECTS) for (const path of effect.steers ?? []) expect(paths).toContain(path);
  });

  it('needs a redeploy (or a rescale) for every field that changes the submitted job', () => {
    const onRestoreOnly = new Set(['deployment.allow_non_restored_state']);
    for (const effect of FIELD_EFFECTS.filter((e) => e.apply && !onRestoreOnly.has(e.path))) {
      expect([effect.path, ['redeploy', 'rescale'].includes(effect.onChange)]).toEqual([effect.path, true]);
    }
  });

  describe.each(FIELD_EFFECTS.map((effect) => [effect.path, effect] as const))('%s', (path: string, effect: FieldEffect) => {
    const base = parse(baseFor(path));
    const changed = parse(withField(baseFor(path), path, effect.example));

    it('has a valid example that differs from the default', () => {
      expect(classifySpecChange(base, changed)).toBe(effect.onChange === 'desired-state' ? 'none' : effect.onChange);
    });

    if (effect.flinkKeys?.length || effect.runRequest?.length) {
      it('changes the submission only through its declared keys and run request fields', () => {
        const before = withoutWarnings(base);
        const after = withoutWarnings(changed);
        expect(after).not.toEqual(before);
        const changedKeys = Object.keys({ ...before.flinkConfiguration, ...after.flinkConfiguration }).filter(
          (key) => before.flinkConfiguration[key] !== after.flinkConfiguration[key],
        );
        const changedFields = RUN_REQUEST_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
        const steered = FIELD_EFFECTS.filter((e) => effect.steers?.includes(e.path)).flatMap((e) => e.flinkKeys ?? []);
        for (const key of changedKeys) expect([...(effect.flinkKeys ?? []), ...steered]).toContain(key);
        for (const field of changedFields) expect(effect.runRequest ?? []).toContain(field);
      });
    } else {
      it('leaves the Flink submission alone', () => {
        expect(withoutWarnings(changed)).toEqual(withoutWarnings(base));
      });
    }

    if (effect.warning) {
      const code = effect.warning.code;
      it(`warns with ${code} and says why`, () => {
        expect(flinkSubmission(base).warnings).toEqual([]);
        expect(flinkSubmission(changed).warnings).toContainEqual({ path, code, message: effect.warning?.message });
      });
    }
  });

  it('only ever sets keys and run request fields its rows declare', () => {
    fc.assert(
      fc.property(specInput, (input) => {
        const spec = parse(input);
        for (const effect of FIELD_EFFECTS) {
          const part = effect.apply?.(spec) ?? {};
          for (const key of Object.keys(part.flinkConfiguration ?? {})) expect(effect.flinkKeys ?? []).toContain(key);
          for (const field of RUN_REQUEST_FIELDS) if (part[field] !== undefined) expect(effect.runRequest ?? []).toContain(field);
        }
      }),
    );
  });
});

describe('Flink configuration keys by Flink line', () => {
  const sentKeys = [...new Set(FIELD_EFFECTS.flatMap((effect) => effect.flinkKeys ?? []))].sort();

  it('lists every key the table can send, and no other', () => {
    expect(Object.keys(FLINK_KEY_SUPPORT).sort()).toEqual(sentKeys);
  });

  it('sends only keys both supported lines read, never a name 2.0 removed', () => {
    for (const key of sentKeys) expect(FLINK_KEY_SUPPORT[key].lines).toEqual(FLINK_LINES);
    const removed = Object.values(FLINK_KEY_SUPPORT).flatMap((s) => (s.replaces ? [s.replaces] : []));
    expect(removed).toEqual(expect.arrayContaining(['state.savepoints.dir', 'execution.buffer-timeout']));
    for (const name of removed) expect(sentKeys).not.toContain(name);
  });

  it('tells the line from the version a cluster reports', () => {
    expect(flinkLineOf('1.20.5')).toBe('1.20');
    expect(flinkLineOf('2.3.0')).toBe('2.x');
    expect(flinkLineOf('2.0-SNAPSHOT')).toBe('2.x');
    expect(flinkLineOf('1.19.3')).toBeNull();
    expect(flinkLineOf('1.2.0')).toBeNull();
  });

  it('finds nothing unread by either line in a submission that sets every key, and flags an unknown key or line', () => {
    const every = Object.fromEntries(sentKeys.map((k) => [k, 'x']));
    expect(keysUnreadBy('1.20.5', every)).toEqual([]);
    expect(keysUnreadBy('2.3.0', every)).toEqual([]);
    expect(keysUnreadBy('2.3.0', { 'state.savepoints.dir': 'x' })).toEqual(['state.savepoints.dir']);
    expect(keysUnreadBy('1.19.3', { 'parallelism.default': '1' })).toEqual(['parallelism.default']);
  });
});
