// Process entry point of the reconciler.
import { bootstrapService } from '@fjc/service-runtime';
import { ReconcilerModule, SERVICE_NAME } from './app.module';

bootstrapService({ name: SERVICE_NAME, rootModule: ReconcilerModule, portEnv: 'RECONCILER_PORT', defaultPort: 8090, consumer: { groupId: 'fjc-reconciler', topics: ['specEvents', 'scheduleTicks', 'deployResults', 'jobObservations'] } }).catch(
  (err: unknown) => {
    // The logger may not exist yet: write one structured line by hand and fail the process.
    process.stderr.write(
      JSON.stringify({ level: 'fatal', service: SERVICE_NAME, code: 'FJC_BOOT_FAILED', msg: String(err) }) + '\n',
    );
    process.exit(1);
  },
);
