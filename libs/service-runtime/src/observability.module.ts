// ObservabilityModule.forService(name): structured JSON logs (pino), probes and metrics.
// Every service's root module imports it once.
import { DynamicModule, Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ProbesController } from './probes.controller';
import { shutdownTracing, traceFields } from './tracing';

/** Spans still buffered are exported when the application shuts down. */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing();
  }
}
import { Readiness } from './readiness';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
import { SERVICE_IDENTITY, processInstanceId, type ServiceIdentity } from './service-identity';

@Global()
@Module({})
export class ObservabilityModule {
  static forService(name: string): DynamicModule {
    const identity: ServiceIdentity = { name, instanceId: processInstanceId() };
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: process.env.LOG_LEVEL ?? 'info',
            base: { service: name, instance: identity.instanceId, pid: process.pid },
            timestamp: () => `,"time":"${new Date().toISOString()}"`,
            formatters: { level: (label: string) => ({ level: label }) },
            // The active span's trace and span ids on every line written inside one.
            mixin: () => traceFields(),
            // Credentials never reach a log: the request line keeps every other header.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            // Probe and metric scrapes would drown the request log.
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
      ],
      controllers: [ProbesController],
      providers: [
        { provide: SERVICE_IDENTITY, useValue: identity },
        { provide: METRICS_REGISTRY, useValue: createMetricsRegistry(name) },
        Readiness,
        TracingShutdown,
      ],
      exports: [SERVICE_IDENTITY, METRICS_REGISTRY, Readiness],
    };
  }
}
