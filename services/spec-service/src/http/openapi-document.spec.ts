import SwaggerParser from '@apidevtools/swagger-parser';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { SpecServiceModule } from '../app.module';
import { openApiDocument } from './openapi-document';

type Document = { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>; components: { schemas: Record<string, object> } };

/** Every HTTP route the spec-service's module tree declares, as "GET /api/v1/jobs/{jobId}". */
function nestRoutes(root: Type<unknown> | DynamicModule, seen = new Set<unknown>()): string[] {
  if (seen.has(root)) return [];
  seen.add(root);
  const moduleClass = 'module' in root ? root.module : root;
  const dynamic: Partial<DynamicModule> = 'module' in root ? root : {};
  const controllers: Type<unknown>[] = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []), ...(dynamic.controllers ?? [])];
  const imports: Array<Type<unknown> | DynamicModule> = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? []), ...(dynamic.imports ?? [])];
  const routes: string[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[key];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const path = ['', base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')]
        .join('/')
        .replace(/\/+/g, '/')
        .replace(/(.)\/$/, '$1')
        .replace(/:([A-Za-z]+)/g, '{$1}');
      routes.push(`${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]} ${path}`);
    }
  }
  return [...routes, ...imports.flatMap((m) => nestRoutes(m, seen))];
}

describe('openApiDocument', () => {
  const document = openApiDocument() as Document;

  it('describes every route the service serves, and nothing it does not', () => {
    const routes = nestRoutes(SpecServiceModule);
    // The module tree really was walked: its own controllers and the probes of the runtime library.
    expect(routes).toEqual(expect.arrayContaining(['GET /api/v1/jobs', 'PUT /api/v1/jobs/{jobId}', 'GET /api/v1/stream', 'GET /health/ready', 'GET /metrics', 'GET /api/docs']));
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.includes(d))).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('a broken document is caught by the same validation', async () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
    broken.paths['/api/v1/jobs'].get.responses = 'none';
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('names every query parameter of the paged and streamed routes', () => {
    const names = (path: string) => (document.paths[path].get.parameters ?? []).map((p) => `${p.in}:${p.name}`);
    expect(names('/api/v1/jobs')).toEqual(['query:limit', 'query:cursor', 'query:namespace', 'query:state', 'query:selector', 'query:q', 'query:includeDeleted']);
    expect(names('/api/v1/events')).toEqual(['query:after', 'query:limit', 'query:jobId', 'query:type', 'query:namespace']);
    expect(names('/api/v1/stream')).toEqual(['query:after', 'query:jobId', 'query:type', 'query:namespace', 'header:Last-Event-ID']);
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
