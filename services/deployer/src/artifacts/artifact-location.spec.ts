import { locateArtifact } from './artifact-location';

const policy = { root: '/srv/fjc', allowedHosts: ['artifacts.example.com'] };

describe('locateArtifact', () => {
  it('resolves a relative path under the artifact root', () => {
    expect(locateArtifact('jobs/etl.jar', policy)).toEqual({ ok: true, location: { kind: 'file', path: '/srv/fjc/jobs/etl.jar' } });
  });

  it('takes a file:// URL as it is', () => {
    expect(locateArtifact('file:///opt/jobs/etl.jar', policy)).toEqual({ ok: true, location: { kind: 'file', path: '/opt/jobs/etl.jar' } });
  });

  it('takes https:// only from an allowed host', () => {
    expect(locateArtifact('https://artifacts.example.com/etl.jar', policy)).toMatchObject({ ok: true, location: { kind: 'https' } });
    expect(locateArtifact('https://elsewhere.example.org/etl.jar', policy)).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED', retryable: false });
  });

  it('refuses a path that leaves the root', () => {
    expect(locateArtifact('jobs/../../etc/x.jar', policy)).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED' });
  });
});
