// Process entry point of the scheduler.
import { bootstrapService } from '@fjc/service-runtime';
import { SchedulerModule, SERVICE_NAME } from './app.module';

bootstrapService({
  name: SERVICE_NAME,
  rootModule: SchedulerModule,
  portEnv: 'SCHEDULER_PORT',
  defaultPort: 8091,
  consumer: { groupId: 'fjc-scheduler', topics: ['specEvents'] },
}).catch((err: unknown) => {
  // The logger may not exist yet: write one structured line by hand and fail the process.
  process.stderr.write(JSON.stringify({ level: 'fatal', service: SERVICE_NAME, code: 'FJC_BOOT_FAILED', msg: String(err) }) + '\n');
  process.exit(1);
});
