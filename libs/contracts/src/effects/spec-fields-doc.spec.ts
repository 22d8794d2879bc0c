import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELD_EFFECTS } from './field-effects';
import { SPEC_FIELDS_DOC_FILE, renderSpecFieldsDoc } from './spec-fields-doc';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');

describe('docs/spec-fields.md', () => {
  it('is up to date (regenerate with `npx nx run contracts:generate`)', () => {
    const committed = readFileSync(join(WORKSPACE, SPEC_FIELDS_DOC_FILE), 'utf8');
    expect(committed).toBe(renderSpecFieldsDoc());
  });

  it('has a section for every field', () => {
    const page = renderSpecFieldsDoc();
    for (const effect of FIELD_EFFECTS) expect(page).toContain(`### \`${effect.path}\``);
  });
});
