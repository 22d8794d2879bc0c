// HTTP adapter of GET /api/v1/me: the caller as authenticated, with its grants, so a client
// (the console) can offer only what the caller may do, and the Flink UI links it may show.
import { Controller, Get, Inject } from '@nestjs/common';
import type { MeResponse } from '@fjc/contracts';
import { Caller } from '../auth/auth-http';
import type { Principal } from '../auth/principal';
import { CONSOLE_CONFIG, type ConsoleConfig } from './console-config';

@Controller('api/v1/me')
export class MeController {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  @Get()
  me(@Caller() caller: Principal): MeResponse {
    return {
      kind: caller.kind,
      issuer: caller.issuer,
      subject: caller.subject,
      ...(caller.name ? { name: caller.name } : {}),
      ...(caller.tokenId ? { tokenId: caller.tokenId } : {}),
      grants: caller.grants.map((g) => ({ role: g.role, namespace: g.namespace, ...(g.clusters ? { clusters: [...g.clusters] } : {}) })),
      clusterUiUrls: { ...this.config.clusterUiUrls },
    };
  }
}
