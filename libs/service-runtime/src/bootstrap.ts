// Starts a service's Nest application: pino as the Nest logger, shutdown hooks so SIGTERM
// closes consumers and pools in order, HTTP bound to 127.0.0.1 unless told otherwise.
import 'reflect-metadata';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics';
import { Readiness } from './readiness';
import { useHttpMetrics } from './http-metrics';
import { startTracing } from './tracing';
import { createServiceTransport, type ConsumerOptions } from './platform/transport-factory';
import { DB_POOL, KAFKA, PLATFORM_CONFIG } from './platform/tokens';
import type { Admin, Kafka } from 'kafkajs';
import type { PlatformConfig } from './platform/platform-config';

export interface ServiceBootstrapOptions {
  readonly name: string;
  readonly rootModule: Type<unknown>;
  /** Environment variable holding the HTTP port. */
  readonly portEnv: string;
  readonly defaultPort: number;
  /** Kafka topics this service consumes with its @EventPattern handlers (needs PlatformModule). */
  readonly consumer?: ConsumerOptions;
  /** HTTP set-up: Nest's own body parsers (JSON and forms) are on unless bodyParser is false;
   *  configure runs before the routes, for middleware such as security headers. */
  readonly http?: { readonly bodyParser?: boolean; readonly configure?: (app: INestApplication) => void };
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
  startTracing(options.name);
  const port = resolvePort(process.env, options.portEnv, options.defaultPort);
  const host = process.env.FJC_BIND_HOST ?? '127.0.0.1';
  const app = await NestFactory.create(options.rootModule, { bufferLogs: true, bodyParser: options.http?.bodyParser ?? true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  useHttpMetrics(app, app.get<Registry>(METRICS_REGISTRY, { strict: false }));
  options.http?.configure?.(app);
  app.enableShutdownHooks();
  if (options.consumer) {
    const registry = app.get<Registry>(METRICS_REGISTRY, { strict: false });
    // Consumer lag is read at scrape time on one admin client, connected at the first scrape.
    let admin: Promise<Admin> | null = null;
    const kafka = app.get<Kafka>(KAFKA, { strict: false });
    const lagAdmin = (): Promise<Admin> => {
      admin ??= (async () => {
        const a = kafka.admin();
        try {
          await a.connect();
          return a;
        } catch (err) {
          admin = null;
          throw err;
        }
      })();
      return admin;
    };
    const transport = createServiceTransport(app.get<PlatformConfig>(PLATFORM_CONFIG), app.get<Pool>(DB_POOL), options.name, options.consumer, registry, lagAdmin);
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    app.get(Readiness).register('kafka-consumer', () => {
      if (!transport.isReady) throw new Error(`consumer group ${options.consumer?.groupId} has not joined yet`);
    });
    await app.startAllMicroservices();
  }
  await app.listen(port, host);
  app.get(Readiness).markStarted();
  logger.log({ msg: 'service started', event: 'service.started', host, port: resolvePortOf(app, port) }, options.name);
  return app;
}

function resolvePortOf(app: INestApplication, fallback: number): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address !== null ? address.port : fallback;
}
