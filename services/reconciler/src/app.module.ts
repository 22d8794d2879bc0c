// Root module of the reconciler: decides what each job needs next by comparing desired with
// observed state, and records every decision before the deployer acts on it.
import { Module } from '@nestjs/common';
import { ObservabilityModule, PlatformModule } from '@fjc/service-runtime';
import { randomIds } from './domain/ids';
import { RECONCILER_SCHEMA } from './migrations/schema';
import { InputsController } from './reconcile/inputs.controller';
import { ID_SOURCE, ReconcileJob } from './reconcile/reconcile-job';
import { Resync } from './reconcile/resync';
import { ReconcilerMetrics } from './metrics/reconciler-metrics';

export const SERVICE_NAME = 'reconciler';

@Module({
  imports: [
    ObservabilityModule.forService(SERVICE_NAME),
    PlatformModule.forService({ serviceName: SERVICE_NAME, migrations: RECONCILER_SCHEMA.migrations }),
  ],
  controllers: [InputsController],
  providers: [{ provide: ID_SOURCE, useValue: randomIds }, ReconcileJob, Resync, ReconcilerMetrics],
})
export class ReconcilerModule {}
