// Field paths as people read them: `deployment.parallelism`, `args[2]`, `env_vars["1A"]`,
// `labels["app.kubernetes.io/name"]`. parseFieldPath is the exact inverse of formatFieldPath,
// so a path in an error message can be turned back into segments (to find its line in a file).
export type PathSegment = string | number;

// Plain names read better unquoted; "-" is allowed so a misspelt `checkpoint-interval` shows as written.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    const key = String(segment);
    if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** Segments of a formatted path, or undefined when the text is not one formatFieldPath makes. */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const end = closingBracket(path, i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, end);
      if (/^(0|[1-9][0-9]*)$/.test(inner)) segments.push(Number(inner));
      else {
        const key = parseQuoted(inner);
        if (key === undefined) return undefined;
        segments.push(key);
      }
      i = end + 1;
      continue;
    }
    if (ch === '.') {
      if (segments.length === 0) return undefined;
      i += 1;
    } else if (segments.length > 0) {
      return undefined;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(path.slice(i));
    if (!match) return undefined;
    segments.push(match[0]);
    i += match[0].length;
  }
  return segments;
}

/** Index of the "]" closing the bracket at `open`, skipping over a quoted key. */
function closingBracket(path: string, open: number): number {
  if (path[open + 1] !== '"') return path.indexOf(']', open);
  for (let j = open + 2; j < path.length; j++) {
    if (path[j] === '\\') j += 1;
    else if (path[j] === '"') return path[j + 1] === ']' ? j + 1 : -1;
  }
  return -1;
}

function parseQuoted(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
