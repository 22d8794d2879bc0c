import { JobTemplateSchema, resolveChain } from '@fjc/contracts';
import { decideApplyTemplate, emptyTemplateStream, evolveTemplate, templateHash, type TemplateStream } from './template-stream';

const template = (rate: number) => JobTemplateSchema.parse({ name: 'stream-base', parameters: { p: { type: 'integer', default: 1 } }, spec: { args: ['--rate', String(rate)], deployment: { parallelism: '${params.p}' } } });

function given(...rates: number[]): TemplateStream {
  return rates.reduce(
    (s, rate, i) => evolveTemplate(s, { type: 'TemplateVersionRecorded', payload: { name: 'stream-base', version: i + 1, templateHash: templateHash(template(rate)), template: template(rate) } }),
    emptyTemplateStream('stream-base'),
  );
}

describe('decideApplyTemplate', () => {
  it('records the first version as 1 and a changed one as the next', () => {
    expect(decideApplyTemplate(given(), template(20), null)).toMatchObject({ kind: 'append', entry: { version: 1, templateHash: templateHash(template(20)) } });
    expect(decideApplyTemplate(given(20, 30), template(40), null)).toMatchObject({ kind: 'append', entry: { version: 3 } });
  });

  it('records nothing when the content equals the latest version, whatever the key order', () => {
    const reordered = JobTemplateSchema.parse({ spec: { deployment: { parallelism: '${params.p}' }, args: ['--rate', '30'] }, parameters: { p: { default: 1, type: 'integer' } }, name: 'stream-base' });
    expect(decideApplyTemplate(given(20, 30), reordered, null)).toEqual({ kind: 'unchanged', version: 2 });
  });

  it('records an older content again as a new version: versions are never reused', () => {
    expect(decideApplyTemplate(given(20, 30), template(20), null)).toMatchObject({ kind: 'append', entry: { version: 3 } });
  });

  it("refuses a placeholder the template and its parent do not declare, and accepts one the parent declares", () => {
    const child = JobTemplateSchema.parse({ name: 'child', extends: 'stream-base@1', spec: { args: ['${params.q}'] } });
    expect(decideApplyTemplate(emptyTemplateStream('child'), child, resolveChain([template(20)]))).toMatchObject({ kind: 'rejected', errors: [{ path: 'spec.args[0]' }] });
    const usesParent = JobTemplateSchema.parse({ name: 'child', extends: 'stream-base@1', spec: { args: ['${params.p}'] } });
    expect(decideApplyTemplate(emptyTemplateStream('child'), usesParent, resolveChain([template(20)]))).toMatchObject({ kind: 'append', entry: { version: 1 } });
  });
});
