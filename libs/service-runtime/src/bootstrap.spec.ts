import { resolvePort } from './bootstrap';

describe('resolvePort', () => {
  it('uses the default when the variable is unset or empty', () => {
    expect(resolvePort({}, 'X_PORT', 8080)).toBe(8080);
    expect(resolvePort({ X_PORT: '' }, 'X_PORT', 8080)).toBe(8080);
  });

  it('parses a valid port', () => {
    expect(resolvePort({ X_PORT: '9001' }, 'X_PORT', 8080)).toBe(9001);
  });

  it.each(['abc', '-1', '70000', '80.5'])('rejects %s and names the variable', (raw) => {
    expect(() => resolvePort({ X_PORT: raw }, 'X_PORT', 8080)).toThrow(/X_PORT/);
  });
});
