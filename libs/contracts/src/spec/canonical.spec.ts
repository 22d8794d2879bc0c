import fc from 'fast-check';
import { stringify } from 'yaml';
import { classifySpecChange } from '../effects/classify-change';
import { validateDocument } from '../testing/validate-helpers';
import { defaultsOf, fieldsFor, specInput, shuffleKeys, spellings, unitFields, writeDefaults } from '../testing/spec-arbitraries';
import { ABSENT, VALID_VALUES, batchSpec, streamSpec, withField } from '../testing/spec-cases';
import { canonicalJson, canonicalSpec, specHash } from './canonical';
import type { JobSpec } from './job-spec';
import { validateSpec } from './validate-spec';

function parse(input: unknown): JobSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(`invalid spec in a property test: ${JSON.stringify(result.errors)}`);
  return result.spec;
}

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

describe('specHash', () => {
  it('is "sha256:" and 64 hex digits', () => {
    expect(specHash(parse(streamSpec()))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(specInput, fc.integer(), (input, seed) => {
        expect(specHash(parse(shuffleKeys(input, seed)))).toBe(specHash(parse(input)));
      }),
    );
  });

  it('does not depend on defaults being written or left out', () => {
    fc.assert(
      fc.property(specInput, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (input, mask) => {
        expect(specHash(parse(writeDefaults(input, mask)))).toBe(specHash(parse(input)));
      }),
    );
  });

  it('does not depend on defaults being left out of a spec that writes everything', () => {
    fc.assert(
      fc.property(specInput, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (input, mask) => {
        const spec = parse(input);
        const defaults = parse(spec.job_type === 'batch' ? batchSpec() : streamSpec());
        const full = JSON.parse(JSON.stringify(canonicalSpec(spec))) as Record<string, unknown>;
        const elided = defaultsOf(spec.job_type)
          .filter((d, i) => mask[i % mask.length] && canonicalJson(valueAt(full, d.path)) === canonicalJson(valueAt(defaults, d.path)))
          .reduce((acc, d) => withField(acc, d.path, ABSENT), full);
        expect(specHash(parse(elided))).toBe(specHash(spec));
      }),
    );
  });

  it('does not depend on the unit a duration or size is written in', () => {
    const fields = unitFields();
    fc.assert(
      fc.property(specInput, fc.nat(), (input, pick) => {
        const spec = parse(input);
        const rewritten = fields.reduce<Record<string, unknown>>((acc, { path, kind }) => {
          const amount = valueAt(spec, path);
          if (typeof amount !== 'number') return acc;
          const options = spellings(kind, amount);
          return withField(acc, path, options[(pick + path.length) % options.length]);
        }, canonicalSpec(spec) as unknown as Record<string, unknown>);
        expect(specHash(parse(rewritten))).toBe(specHash(spec));
      }),
    );
  });

  it('is the same for YAML and JSON files of the same spec', () => {
    fc.assert(
      fc.property(specInput, fc.integer(), (input, seed) => {
        const yaml = validateDocument(stringify(shuffleKeys(input, seed)), 'spec.yaml');
        const json = validateDocument(JSON.stringify(input, null, 2), 'spec.json');
        expect(specHash(yaml)).toBe(specHash(json));
      }),
    );
  });

  it('changes with any change of a real field', () => {
    const change = specInput.chain((input) => {
      const paths = fieldsFor(input.job_type === 'batch' ? 'batch' : 'stream');
      return fc.tuple(fc.constant(input), fc.constantFrom(...paths)).chain(([spec, path]) =>
        fc.tuple(fc.constant(spec), fc.constant(path), fc.constantFrom(...(VALID_VALUES[path] ?? []))),
      );
    });
    fc.assert(
      fc.property(change, ([input, path, value]) => {
        const before = parse(input);
        const after = parse(withField(input, path, value));
        fc.pre(canonicalJson(valueAt(before, path)) !== canonicalJson(valueAt(after, path)));
        expect(specHash(after)).not.toBe(specHash(before));
        if (path !== 'state') expect(classifySpecChange(before, after)).not.toBe('none');
      }),
      { numRuns: 300 },
    );
  });

  it('changes when job_type changes', () => {
    const stream = parse(streamSpec());
    const batch = parse({ ...streamSpec(), job_type: 'batch' });
    expect(specHash(batch)).not.toBe(specHash(stream));
  });
});

describe('canonical form', () => {
  it('parses back to itself', () => {
    fc.assert(
      fc.property(specInput, (input) => {
        const spec = parse(input);
        expect(parse(JSON.parse(JSON.stringify(canonicalSpec(spec))))).toEqual(spec);
      }),
    );
  });

  it('sorts keys at every depth and keeps list order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined } })).toBe('{"a":{"d":[3,1]},"b":1}');
  });
});
