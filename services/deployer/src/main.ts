// Process entry point of the deployer.
import { bootstrapService } from '@fjc/service-runtime';
import { DeployerModule, SERVICE_NAME } from './app.module';

bootstrapService({
  name: SERVICE_NAME,
  rootModule: DeployerModule,
  portEnv: 'DEPLOYER_PORT',
  defaultPort: 8092,
  consumer: { groupId: 'fjc-deployer', topics: ['deployActions'] },
}).catch((err: unknown) => {
  // The logger may not exist yet: write one structured line by hand and fail the process.
  process.stderr.write(JSON.stringify({ level: 'fatal', service: SERVICE_NAME, code: 'FJC_BOOT_FAILED', msg: String(err) }) + '\n');
  process.exit(1);
});
