// Root module of the spec-service: owns spec streams, the HTTP API and inbound upstream commands.
import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@fjc/service-runtime';

export const SERVICE_NAME = 'spec-service';

@Module({
  imports: [ObservabilityModule.forService(SERVICE_NAME)],
})
export class SpecServiceModule {}
