import { browserGuardConfigFromEnv, checkRequest } from './browser-guard';

const local = browserGuardConfigFromEnv({});
const req = (method: string, headers: Record<string, string>, originalUrl = '/api/v1/jobs/a') => ({ method, originalUrl, headers });

describe('browser guard', () => {
  it('answers loopback names on the local default, anything when bound elsewhere unless listed', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'localhost']) expect(checkRequest(local, req('GET', { host }))).toBeNull();
    expect(checkRequest(local, req('GET', { host: 'rebind.example:8080' }))).toMatchObject({ status: 421, code: 'FJC_HOST_NOT_ALLOWED' });
    expect(checkRequest(browserGuardConfigFromEnv({ FJC_BIND_HOST: '0.0.0.0' }), req('GET', { host: 'fjc.internal' }))).toBeNull();
    const listed = browserGuardConfigFromEnv({ FJC_BIND_HOST: '0.0.0.0', FJC_ALLOWED_HOSTS: 'fjc.internal, fjc.example:443' });
    expect(checkRequest(listed, req('GET', { host: 'fjc.internal:8080' }))).toBeNull();
    expect(checkRequest(listed, req('GET', { host: 'fjc.example:443' }))).toBeNull();
    expect(checkRequest(listed, req('GET', { host: 'other' }))).toMatchObject({ code: 'FJC_HOST_NOT_ALLOWED' });
  });

  it('takes its own origin and listed ones; refuses others, "null" and cross-site changes', () => {
    const host = '127.0.0.1:8080';
    expect(checkRequest(local, req('POST', { host, origin: 'http://127.0.0.1:8080' }))).toBeNull();
    expect(checkRequest(local, req('POST', { host, origin: 'http://127.0.0.1:9999' }))).toMatchObject({ status: 403, code: 'FJC_ORIGIN_NOT_ALLOWED' });
    expect(checkRequest(local, req('GET', { host, origin: 'null' }))).toMatchObject({ code: 'FJC_ORIGIN_NOT_ALLOWED' });
    const console = browserGuardConfigFromEnv({ FJC_ALLOWED_ORIGINS: 'https://console.example/' });
    expect(checkRequest(console, req('POST', { host, origin: 'https://console.example' }))).toBeNull();
    expect(checkRequest(local, req('POST', { host, 'sec-fetch-site': 'cross-site' }))).toMatchObject({ code: 'FJC_ORIGIN_NOT_ALLOWED', path: 'Sec-Fetch-Site' });
    expect(checkRequest(local, req('GET', { host, 'sec-fetch-site': 'cross-site' }))).toBeNull();
  });

  it('takes JSON (and YAML on PUT and the plan) or no body at all for changes; refuses forms and text', () => {
    const host = 'localhost:8080';
    expect(checkRequest(local, req('POST', { host }))).toBeNull();
    expect(checkRequest(local, req('POST', { host, 'content-type': 'application/json; charset=utf-8', 'content-length': '2' }))).toBeNull();
    expect(checkRequest(local, req('PUT', { host, 'content-type': 'application/yaml', 'content-length': '9' }))).toBeNull();
    expect(checkRequest(local, req('POST', { host, 'content-type': 'application/yaml', 'content-length': '9' }))).toMatchObject({ status: 415 });
    // The plan takes the body apply takes.
    expect(checkRequest(local, req('POST', { host, 'content-type': 'application/yaml', 'content-length': '9' }, '/api/v1/jobs/a/plan'))).toBeNull();
    expect(checkRequest(local, req('POST', { host, 'content-type': 'application/yaml', 'content-length': '9' }, '/api/v1/jobs/a/plan/x'))).toMatchObject({ status: 415 });
    expect(checkRequest(local, req('POST', { host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' }))).toMatchObject({
      status: 415,
      code: 'FJC_UNSUPPORTED_MEDIA_TYPE',
      path: 'Content-Type',
      message: 'must be application/json, got "application/x-www-form-urlencoded"',
    });
    expect(checkRequest(local, req('DELETE', { host, 'content-length': '5' }))).toMatchObject({ status: 415, message: 'must be application/json, got none' });
    expect(checkRequest(local, req('POST', { host: 'evil', 'content-type': 'text/plain' }, '/health/ready'))).toBeNull();
  });
});
