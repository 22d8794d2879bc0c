import { checkSignature, pinnedSha256 } from './signature';
import { SHA, testSpec } from '../testing/carry-out-fixture';

describe('artifact signature', () => {
  it('pins the jar to the signature while verification is on', () => {
    expect(pinnedSha256(testSpec())).toBe(SHA);
    expect(checkSignature(testSpec(), SHA)).toBeNull();
  });

  it('refuses other content with FJC_ARTIFACT_SIGNATURE_MISMATCH, naming both digests', () => {
    const mismatch = checkSignature(testSpec(), '0'.repeat(64));
    expect(mismatch).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', retryable: false });
    expect(mismatch?.message).toContain(SHA);
    expect(mismatch?.message).toContain('0'.repeat(64));
  });

  it('checks nothing with verification off', () => {
    const spec = testSpec({ security: { artifact_verification: false } });
    expect(pinnedSha256(spec)).toBeUndefined();
    expect(checkSignature(spec, '0'.repeat(64))).toBeNull();
  });
});
