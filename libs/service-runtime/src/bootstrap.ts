// Starts a service's Nest application: pino as the Nest logger, shutdown hooks so SIGTERM
// closes consumers and pools in order, HTTP bound to 127.0.0.1 unless told otherwise.
import 'reflect-metadata';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

export interface ServiceBootstrapOptions {
  readonly name: string;
  readonly rootModule: Type<unknown>;
  /** Environment variable holding the HTTP port. */
  readonly portEnv: string;
  readonly defaultPort: number;
}

export function resolvePort(env: NodeJS.ProcessEnv, portEnv: string, defaultPort: number): number {
  const raw = env[portEnv];
  if (raw === undefined || raw === '') return defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${portEnv} must be an integer port between 0 and 65535, got "${raw}"`);
  }
  return port;
}

export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  const port = resolvePort(process.env, options.portEnv, options.defaultPort);
  const host = process.env.FJC_BIND_HOST ?? '127.0.0.1';
  const app = await NestFactory.create(options.rootModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.listen(port, host);
  logger.log({ msg: 'service started', event: 'service.started', host, port: resolvePortOf(app, port) }, options.name);
  return app;
}

function resolvePortOf(app: INestApplication, fallback: number): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address !== null ? address.port : fallback;
}
