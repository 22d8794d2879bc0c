// Root module of the reconciler: decides what each job needs next by comparing desired with observed state.
import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@fjc/service-runtime';

export const SERVICE_NAME = 'reconciler';

@Module({
  imports: [ObservabilityModule.forService(SERVICE_NAME)],
})
export class ReconcilerModule {}
