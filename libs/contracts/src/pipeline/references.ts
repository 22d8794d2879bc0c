// References in stage arguments and outputs: ${run.id}, ${run.scheduled_time} and
// ${stages.<stage>.outputs.<name>}. They are checked when the pipeline is applied (a reference
// to a stage the argument's stage does not depend on, or to an output that stage does not
// declare, is an error naming its path) and filled in when a stage's run is requested, so a
// run records exactly the arguments its Flink job got. `$${` writes a literal `${`.
export const REFERENCE_PATTERN = /\$\$\{|\$\{([^}]*)\}/g;

export type Reference =
  | { readonly kind: 'run'; readonly field: 'id' | 'scheduled_time' }
  | { readonly kind: 'output'; readonly stage: string; readonly output: string };

export type ParsedReference = { readonly ok: true; readonly ref: Reference; readonly text: string } | { readonly ok: false; readonly text: string; readonly problem: string };

const OUTPUT_REF = /^stages\.([a-z][a-z0-9_]*)\.outputs\.([a-z][a-z0-9_]*)$/;

function parseReference(inner: string): ParsedReference {
  const text = `\${${inner}}`;
  if (inner === 'run.id') return { ok: true, ref: { kind: 'run', field: 'id' }, text };
  if (inner === 'run.scheduled_time') return { ok: true, ref: { kind: 'run', field: 'scheduled_time' }, text };
  const output = OUTPUT_REF.exec(inner);
  if (output) return { ok: true, ref: { kind: 'output', stage: output[1] as string, output: output[2] as string }, text };
  return { ok: false, text, problem: `${text} is not a known reference (use \${run.id}, \${run.scheduled_time} or \${stages.<stage>.outputs.<name>})` };
}

/** Every reference written in `value`, in order. */
export function referencesIn(value: string): ParsedReference[] {
  const found: ParsedReference[] = [];
  for (const match of value.matchAll(REFERENCE_PATTERN)) {
    if (match[0] === '$${') continue;
    found.push(parseReference(match[1] ?? ''));
  }
  return found;
}

export interface ReferenceValues {
  readonly run: { readonly id: string; readonly scheduled_time: string };
  /** Declared outputs of finished stages, already filled in. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** `value` with its references filled in. A reference without a value is a programming error
 *  here: validatePipeline refused it when the pipeline was applied. */
export function interpolate(value: string, values: ReferenceValues): string {
  return value.replace(REFERENCE_PATTERN, (whole, inner: string | undefined) => {
    if (whole === '$${') return '${';
    const parsed = parseReference(inner ?? '');
    if (!parsed.ok) throw new Error(parsed.problem);
    const { ref } = parsed;
    if (ref.kind === 'run') return values.run[ref.field];
    const value = values.outputs[ref.stage]?.[ref.output];
    if (value === undefined) throw new Error(`${parsed.text} has no value in this run`);
    return value;
  });
}
