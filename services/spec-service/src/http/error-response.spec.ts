import { errorBody, errorStatus } from './error-response';

describe('error responses', () => {
  it.each([
    ['FJC_JOB_NOT_FOUND', 404],
    ['FJC_JOB_DELETED', 404],
    ['FJC_VERSION_CONFLICT', 409],
    ['FJC_UNSUPPORTED_MEDIA_TYPE', 415],
    ['FJC_SPEC_REQUIRED', 400],
    ['FJC_JOB_ID_MISMATCH', 400],
    ['FJC_JOB_ID_RESERVED', 400],
  ] as const)('%s is %d', (code, status) => {
    expect(errorStatus([{ code, path: '', message: 'm' }])).toBe(status);
  });

  it('names the If-Match header where the command says expectedVersion', () => {
    expect(errorBody([{ code: 'FJC_VERSION_CONFLICT', path: 'expectedVersion', message: 'm' }])).toEqual({
      errors: [{ code: 'FJC_VERSION_CONFLICT', path: 'If-Match', message: 'm' }],
    });
  });
});
