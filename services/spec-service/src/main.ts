// Process entry point of the spec-service: HTTP API on SPEC_SERVICE_PORT (default 8080) and the
// consumer of fjc.spec.commands and fjc.job.lifecycle.
import helmet from 'helmet';
import { bootstrapService } from '@fjc/service-runtime';
import { SpecServiceModule, SERVICE_NAME } from './app.module';

bootstrapService({
  name: SERVICE_NAME,
  rootModule: SpecServiceModule,
  portEnv: 'SPEC_SERVICE_PORT',
  defaultPort: 8080,
  consumer: { groupId: 'fjc-spec-service', topics: ['specCommands', 'jobLifecycle'] },
  // Body parsers are the module's own (JSON and YAML with one limit, no forms); standard
  // security headers on every answer, with styles held to our own origin like scripts (the web
  // console bundles everything; helmet's default would also allow inline and any https: style).
  http: { bodyParser: false, configure: (app) => app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'"] } } })) },
}).catch((err: unknown) => {
  // The logger may not exist yet: write one structured line by hand and fail the process.
  process.stderr.write(JSON.stringify({ level: 'fatal', service: SERVICE_NAME, code: 'FJC_BOOT_FAILED', msg: String(err) }) + '\n');
  process.exit(1);
});
