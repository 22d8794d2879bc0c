// Stands in for node:crypto in the browser bundle: the contracts hash specs with it, which the
// console never does (the server reports every hash). Failing loudly beats a silent wrong hash.
export function createHash(): never {
  throw new Error('spec hashes are computed by the spec-service, not in the browser');
}
