// Label selectors over spec labels, as Kubernetes writes them: `k=v` (or `k==v`), `k!=v`, `k`,
// `!k`, `k in (a,b)`, `k notin (a,b)`, joined by commas; every requirement must hold. Parsed here,
// once, for the API (which turns it into SQL) and for clients that want to check one early. Pure.
import { LABEL_KEY_PATTERN } from '../spec/field-types';

export type LabelRequirement =
  | { readonly op: 'exists' | 'notExists'; readonly key: string }
  | { readonly op: 'in' | 'notIn'; readonly key: string; readonly values: readonly string[] };

export type LabelSelectorParse = { readonly ok: true; readonly requirements: readonly LabelRequirement[] } | { readonly ok: false; readonly message: string };

/** Value characters: anything but blanks and the selector's own punctuation. */
const VALUE = /[^\s,()=!]/;
const MAX_SELECTOR_LENGTH = 4096;

class SelectorSyntaxError extends Error {}

/** `k=v` is `in (v)`, `k!=v` is `notIn (v)`: as in Kubernetes, `!=` and `notin` also match jobs without the label. */
export function parseLabelSelector(text: string): LabelSelectorParse {
  if (text.length > MAX_SELECTOR_LENGTH) return { ok: false, message: `is ${text.length} characters long; at most ${MAX_SELECTOR_LENGTH}` };
  const s = new Scanner(text);
  try {
    const requirements: LabelRequirement[] = [];
    s.blanks();
    if (s.done()) return { ok: true, requirements };
    for (;;) {
      requirements.push(requirement(s));
      s.blanks();
      if (s.done()) return { ok: true, requirements };
      s.expect(',');
    }
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}

/** Whether labels satisfy every requirement (what the API's SQL does, for clients and tests). */
export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notExists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key] as string);
      case 'notIn':
        return !has || !r.values.includes(labels[r.key] as string);
    }
  });
}

function requirement(s: Scanner): LabelRequirement {
  s.blanks();
  if (s.take('!')) return { op: 'notExists', key: key(s) };
  const k = key(s);
  s.blanks();
  if (s.take('!=')) return { op: 'notIn', key: k, values: [value(s)] };
  if (s.take('==') || s.take('=')) return { op: 'in', key: k, values: [value(s)] };
  const word = s.peekWord();
  if (word === 'in' || word === 'notin') {
    s.word();
    return { op: word === 'in' ? 'in' : 'notIn', key: k, values: valueSet(s) };
  }
  if (s.done() || s.peek() === ',') return { op: 'exists', key: k };
  throw s.error('expected "=", "==", "!=", "in", "notin", "," or the end');
}

function key(s: Scanner): string {
  s.blanks();
  const at = s.at;
  const k = s.word();
  if (k === '') throw s.error('expected a label name');
  if (!LABEL_KEY_PATTERN.test(k)) throw new SelectorSyntaxError(`at character ${at + 1}: "${k}" is not a label name (letters, digits, ".", "_", "-" or "/", starting and ending with a letter or digit)`);
  return k;
}

function value(s: Scanner): string {
  s.blanks();
  return s.word();
}

function valueSet(s: Scanner): string[] {
  s.blanks();
  s.expect('(');
  const values: string[] = [];
  for (;;) {
    const v = value(s);
    if (v === '') throw s.error('expected a value');
    values.push(v);
    s.blanks();
    if (s.take(')')) return values;
    s.expect(',');
  }
}

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text[this.at] ?? '';
  }

  blanks(): void {
    while (!this.done() && /\s/.test(this.peek())) this.at++;
  }

  take(token: string): boolean {
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.take(token)) throw this.error(`expected "${token}"`);
  }

  word(): string {
    const start = this.at;
    while (!this.done() && VALUE.test(this.peek())) this.at++;
    return this.text.slice(start, this.at);
  }

  peekWord(): string {
    const start = this.at;
    const w = this.word();
    this.at = start;
    return w;
  }

  error(expected: string): SelectorSyntaxError {
    return new SelectorSyntaxError(`at character ${this.at + 1}: ${expected}, found ${this.done() ? 'the end' : `"${this.peek()}"`}`);
  }
}
