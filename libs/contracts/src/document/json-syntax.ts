// Where a JSON text stops being JSON. JSON.parse in Node 20 often names no position, and a
// person fixing a file needs the line; this small recognizer of the JSON grammar finds it.
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly message: string;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const scanner = new JsonScanner(text);
  return scanner.document();
}

class JsonScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): JsonSyntaxProblem | undefined {
    const problem = this.value();
    if (problem) return problem;
    this.skipWhitespace();
    return this.pos < this.text.length ? this.problem('unexpected content after the end of the JSON value') : undefined;
  }

  private value(): JsonSyntaxProblem | undefined {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    if (ch === undefined) return this.problem('unexpected end of file, expected a value');
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return undefined;
      }
    }
    return this.problem(`unexpected ${this.shown()}, expected a value`);
  }

  private object(): JsonSyntaxProblem | undefined {
    this.pos += 1;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return undefined;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') return this.problem(`unexpected ${this.shown()}, expected a field name in double quotes`);
      const key = this.string();
      if (key) return key;
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') return this.problem(`unexpected ${this.shown()}, expected ":"`);
      this.pos += 1;
      const value = this.value();
      if (value) return value;
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos += 1;
        return undefined;
      }
      if (next !== ',') return this.problem(`unexpected ${this.shown()}, expected "," or "}"`);
      const comma = this.pos;
      this.pos += 1;
      this.skipWhitespace();
      if (this.text[this.pos] === '}') return { offset: comma, message: 'trailing comma before "}"' };
    }
  }

  private array(): JsonSyntaxProblem | undefined {
    this.pos += 1;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return undefined;
    }
    for (;;) {
      const value = this.value();
      if (value) return value;
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos += 1;
        return undefined;
      }
      if (next !== ',') return this.problem(`unexpected ${this.shown()}, expected "," or "]"`);
      const comma = this.pos;
      this.pos += 1;
      this.skipWhitespace();
      if (this.text[this.pos] === ']') return { offset: comma, message: 'trailing comma before "]"' };
    }
  }

  private string(): JsonSyntaxProblem | undefined {
    const start = this.pos;
    this.pos += 1;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos += 1;
        return undefined;
      }
      if (ch === '\n' || ch < ' ') return this.problem('line break or control character inside a string');
      if (ch === '\\') {
        const escape = this.text[this.pos + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) return this.problem('invalid \\u escape');
          this.pos += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) return this.problem('invalid escape in a string');
        this.pos += 2;
        continue;
      }
      this.pos += 1;
    }
    return { offset: start, message: 'string is never closed' };
  }

  private number(): JsonSyntaxProblem | undefined {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.problem(`unexpected ${this.shown()}, expected a number`);
    this.pos += match[0].length;
    return undefined;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private shown(): string {
    const ch = this.text[this.pos];
    return ch === undefined ? 'end of file' : JSON.stringify(ch);
  }

  private problem(message: string): JsonSyntaxProblem {
    return { offset: this.pos, message };
  }
}
