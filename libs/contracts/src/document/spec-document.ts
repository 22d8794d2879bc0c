// Reading a spec file: YAML (or JSON, chosen by the ".json" extension) into a plain value, with
// syntax errors reported by line and column, an empty file reported as such, and a way to find
// the line of any field so later errors can point into the file.
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment } from '../spec/field-path';
import type { SpecError } from '../spec/spec-error';
import { DEFAULT_SPEC_LIMITS, SPEC_LIMIT_ENV, documentTooLarge, utf8Bytes, type SpecLimits } from '../spec/spec-limits';
import { findJsonSyntaxProblem } from './json-syntax';

export type SpecFormat = 'yaml' | 'json';

export interface SpecLocation {
  readonly line: number;
  readonly column: number;
}

/** Line and column of the field at `path` (its key), or of its nearest parent that is in the file. */
export type LocateField = (path: readonly PathSegment[]) => SpecLocation | undefined;

export type ParsedSpecDocument =
  | { readonly ok: true; readonly value: unknown; readonly format: SpecFormat; readonly locate: LocateField }
  | { readonly ok: false; readonly errors: SpecError[] };

export function specFormatOf(filename: string): SpecFormat {
  return filename.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

export function parseSpecDocument(text: string, filename: string, limits: SpecLimits = DEFAULT_SPEC_LIMITS): ParsedSpecDocument {
  const tooLarge = documentTooLarge(utf8Bytes(text), limits);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  if (text.trim() === '') return emptyDocument('the file is empty');
  return specFormatOf(filename) === 'json' ? parseJson(text) : parseYaml(text, limits);
}

function emptyDocument(what: string): ParsedSpecDocument {
  return {
    ok: false,
    errors: [{ path: '', code: 'FJC_SPEC_EMPTY_DOCUMENT', message: `${what}; a spec needs at least job_id, job_type and artifact_path` }],
  };
}

function parseYaml(text: string, limits: SpecLimits): ParsedSpecDocument {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  if (list.length === 0) return emptyDocument('the file has only comments');
  if (list.length > 1) {
    const second = lineCounter.linePos(list[1].range[0]);
    return {
      ok: false,
      errors: [
        {
          path: '',
          code: 'FJC_SPEC_MULTIPLE_DOCUMENTS',
          message: `holds ${list.length} YAML documents (separated by "---"); put one spec in each file`,
          line: second.line,
          column: second.col,
        },
      ],
    };
  }
  const [document] = list;
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => {
        const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
        return {
          path: '',
          code: 'FJC_SPEC_SYNTAX_ERROR',
          message: `YAML syntax error: ${firstLine(error.message)}`,
          line: at.line,
          column: at.col,
        };
      }),
    };
  }
  // Aliases are limited by what they expand to, not only by their number: 100 aliases of one
  // 10 KB scalar are 1 MB of spec from an 11 KB document.
  const expanded = expandedSize(document, limits.maxDocumentBytes);
  if (expanded > limits.maxDocumentBytes) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          code: 'FJC_SPEC_ALIAS_EXPANSION_TOO_LARGE',
          message: `the YAML aliases expand the document to more than ${limits.maxDocumentBytes} bytes; the limit is ${limits.maxDocumentBytes} bytes (${SPEC_LIMIT_ENV.maxDocumentBytes})`,
        },
      ],
    };
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return emptyDocument('the file has no content');
  return { ok: true, value, format: 'yaml', locate: yamlLocator(document, lineCounter) };
}

function parseJson(text: string): ParsedSpecDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const problem = findJsonSyntaxProblem(text);
    const at = problem === undefined ? undefined : lineAndColumn(text, problem.offset);
    const reason = problem?.message ?? (err instanceof Error ? err.message : String(err));
    return {
      ok: false,
      errors: [{ path: '', code: 'FJC_SPEC_SYNTAX_ERROR', message: `JSON syntax error: ${reason}`, ...(at ?? {}) }],
    };
  }
  if (value === null) return emptyDocument('the file holds only null');
  // Valid JSON is valid YAML, and the YAML parser keeps positions; JSON.parse does not.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const locate: LocateField = document.errors.length === 0 ? yamlLocator(document, lineCounter) : () => undefined;
  return { ok: true, value, format: 'json', locate };
}

/** The size of the document's text with every alias replaced by the text of its anchor,
 *  counted no further than just past `limit` (nested aliases multiply). */
function expandedSize(document: Document.Parsed, limit: number): number {
  const memo = new Map<unknown, number>();
  const sizeOf = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = memo.get(node);
    if (known !== undefined) return known;
    let size = 0;
    if (isAlias(node)) {
      const target = node.resolve(document);
      memo.set(node, limit + 1); // an alias that reaches itself
      size = target === undefined ? 0 : sizeOf(target);
    } else if (isPair(node)) {
      size = sizeOf(node.key) + sizeOf(node.value);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        size += sizeOf(item);
        if (size > limit) break;
      }
    } else {
      const range = (node as Node).range;
      size = range ? Math.max(1, range[1] - range[0]) : 1;
    }
    size = Math.min(size, limit + 1);
    memo.set(node, size);
    return size;
  };
  return sizeOf(document.contents);
}

function yamlLocator(document: Document.Parsed, lineCounter: LineCounter): LocateField {
  const position = (offset: number): SpecLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path) => {
    let node: unknown = document.contents;
    let found: SpecLocation | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        const key = pair?.key as Node | undefined;
        if (pair === undefined || key?.range === undefined || key.range === null) return found;
        found = position(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (item?.range === undefined || item.range === null) return found;
        found = position(item.range[0]);
        node = item;
      } else {
        return found;
      }
    }
    return found;
  };
}

function lineAndColumn(text: string, offset: number): SpecLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
