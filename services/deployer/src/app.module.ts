// Root module of the deployer: carries out actions against Flink REST and observes Flink jobs.
import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@fjc/service-runtime';

export const SERVICE_NAME = 'deployer';

@Module({
  imports: [ObservabilityModule.forService(SERVICE_NAME)],
})
export class DeployerModule {}
