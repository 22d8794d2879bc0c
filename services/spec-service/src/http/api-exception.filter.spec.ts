import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { Logger } from 'nestjs-pino';
import { lastValueFrom, type Observable } from 'rxjs';
import { ApiExceptionFilter } from './api-exception.filter';

function httpHost(contentType = '') {
  const res = { headersSent: false, statusCode: 0, body: undefined as unknown, headers: {} as Record<string, string>, setHeader: (k: string, v: string) => (res.headers[k] = v), status: (n: number) => ((res.statusCode = n), res), json: (b: unknown) => (res.body = b) };
  const req = { is: (type: string) => (contentType === type ? type : false) };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  return { host, res };
}

const logger = { error: jest.fn(), warn: jest.fn() } as unknown as Logger;
const filter = new ApiExceptionFilter(logger);

describe('ApiExceptionFilter', () => {
  it.each([
    [new BadRequestException('Unexpected end of JSON input'), 'application/json', 400, 'FJC_INVALID_JSON'],
    [new NotFoundException('Cannot GET /nope'), '', 404, 'FJC_NOT_FOUND'],
    [Object.assign(new Error('request entity too large'), { status: 413 }), 'application/yaml', 413, 'FJC_BODY_TOO_LARGE'],
    [new Error('boom'), '', 500, 'FJC_INTERNAL'],
  ])('answers %s in the API error shape', (exception, contentType, status, code) => {
    const { host, res } = httpHost(contentType);
    filter.catch(exception, host);
    expect(res.statusCode).toBe(status);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ path: '', code })] });
  });

  it.each([
    ['an exhausted connection pool', new Error('timeout exceeded when trying to connect')],
    ['PostgreSQL restarting (57P01, as TypeORM copies it onto its QueryFailedError)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['PostgreSQL down', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('answers 503 FJC_DEPENDENCY_UNAVAILABLE with Retry-After, not 500, for %s', (_what, exception) => {
    const { host, res } = httpHost();
    filter.catch(exception, host);
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('2');
    expect(res.body).toEqual({ errors: [expect.objectContaining({ code: 'FJC_DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/nothing was changed/) })] });
  });

  it('hands errors of a Kafka handler back unchanged, so the transport retries them', async () => {
    const error = new Error('database down');
    const result = filter.catch(error, { getType: () => 'rpc' } as unknown as ArgumentsHost) as Observable<never>;
    await expect(lastValueFrom(result)).rejects.toBe(error);
  });
});
