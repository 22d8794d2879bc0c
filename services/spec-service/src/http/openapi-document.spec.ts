import { openApiDocument } from './openapi-document';

describe('openApiDocument', () => {
  const document = openApiDocument() as { openapi: string; paths: Record<string, object>; components: { schemas: Record<string, object> } };

  it('describes every path of the public API', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/jobs',
        '/api/v1/jobs/{jobId}',
        '/api/v1/jobs/{jobId}/plan',
        '/api/v1/jobs/{jobId}/versions',
        '/api/v1/jobs/{jobId}/events',
        '/api/v1/jobs/{jobId}/suspend',
        '/api/v1/jobs/{jobId}/resume',
        '/api/v1/jobs/{jobId}/rollback',
        '/api/v1/jobs/{jobId}/savepoints',
        '/api/v1/jobs/{jobId}/exceptions',
        '/api/v1/events',
        '/api/v1/me',
      ]),
    );
  });

  it('defines every schema it refers to', () => {
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(document.components.schemas[name]).toBeDefined();
  });

  it('takes the spec body schema from the contracts, unknown fields refused', () => {
    expect(document.components.schemas.JobSpec).toMatchObject({ title: 'FJC job spec' });
    expect(JSON.stringify(document.components.schemas.JobSpec)).toContain('"additionalProperties":false');
  });
});
