import { locateArtifact } from './artifact-location';

const places = { roots: ['/srv/fjc', '/opt/jobs'], allowedHosts: ['artifacts.example.com'] };

describe('locateArtifact', () => {
  it('resolves a relative path under the first artifact root', () => {
    expect(locateArtifact('jobs/etl.jar', places)).toEqual({ ok: true, location: { kind: 'file', path: '/srv/fjc/jobs/etl.jar' } });
  });

  it('takes a file:// URL under any root', () => {
    expect(locateArtifact('file:///opt/jobs/etl.jar', places)).toEqual({ ok: true, location: { kind: 'file', path: '/opt/jobs/etl.jar' } });
  });

  it('refuses a file:// URL outside every root, without naming the roots in the message', () => {
    const refused = locateArtifact('file:///etc/x.jar', places);
    expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED', retryable: false });
    expect(refused.ok ? '' : refused.message).not.toContain('/srv/fjc');
    expect(refused.ok ? '' : refused.detail).toContain('/srv/fjc');
  });

  it('takes https:// only from an allowed host', () => {
    expect(locateArtifact('https://artifacts.example.com/etl.jar', places)).toMatchObject({ ok: true, location: { kind: 'https' } });
    expect(locateArtifact('https://elsewhere.example.org/etl.jar', places)).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED', retryable: false });
  });

  it('refuses a path that leaves the root, and the root itself', () => {
    expect(locateArtifact('jobs/../../etc/x.jar', places)).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED' });
    expect(locateArtifact('file:///opt/jobs', places)).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED' });
  });
});
