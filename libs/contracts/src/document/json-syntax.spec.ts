import fc from 'fast-check';
import { findJsonSyntaxProblem } from './json-syntax';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxProblem', () => {
  it.each([
    ['{"a": 1,}', 7, 'trailing comma before "}"'],
    ['{"a": 1\n, "b": }', 15, 'unexpected "}", expected a value'],
    ['{"a":\n tru}', 7, 'unexpected "t", expected a value'],
    ['[1,2', 4, 'unexpected end of file, expected "," or "]"'],
    ["{'a': 1}", 1, 'unexpected "\'", expected a field name in double quotes'],
    ['{"a": "x\ny"}', 8, 'line break or control character inside a string'],
    ['{} {}', 3, 'unexpected content after the end of the JSON value'],
    ['{"a" 1}', 5, 'unexpected "1", expected ":"'],
  ])('finds the problem in %p', (text, offset, message) => {
    expect(findJsonSyntaxProblem(text)).toEqual({ offset, message });
  });

  it('agrees with JSON.parse on valid JSON', () => {
    fc.assert(fc.property(fc.json(), (text) => findJsonSyntaxProblem(text) === undefined));
  });

  it('agrees with JSON.parse on any text, including broken JSON', () => {
    const brokenJson = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\', ' ')).map(
      ([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), brokenJson), (text) => (findJsonSyntaxProblem(text) === undefined) === parses(text)),
      { numRuns: 2000 },
    );
  });
});
