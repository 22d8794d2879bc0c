// The global guard (APP_GUARD) of the spec-service's HTTP API: every route needs an
// authenticated caller, except /health/*, the API description and, unless
// FJC_AUTH_PROTECT_METRICS=true, /metrics. The caller is left on the request as `principal`
// for the handlers. Kafka handlers are not HTTP and pass through.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { Authenticator } from './authenticator';
import { AuthRefusal, PUBLIC_ROUTE } from './auth-http';
import type { Principal } from './principal';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: Authenticator,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (req.path.startsWith('/health/')) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const metrics = req.path === '/metrics';
    if (metrics && !this.config.protectMetrics) return true;
    const result = await this.authenticator.authenticate(req.headers);
    if (!result.ok && result.providerUnreachable) {
      // Not judged: the identity provider is down. The caller may try again; nothing was refused.
      res.setHeader('Retry-After', '5');
      throw new AuthRefusal(503, 'FJC_IDP_UNAVAILABLE', result.reason);
    }
    if (!result.ok) {
      const error = result.status === 401 ? 'invalid_token' : 'insufficient_scope';
      const described = req.headers.authorization ? `, error="${error}", error_description="${result.reason.replace(/"/g, "'")}"` : '';
      res.setHeader('WWW-Authenticate', `Bearer realm="fjc"${described}`);
      throw new AuthRefusal(result.status, result.status === 401 ? 'FJC_UNAUTHENTICATED' : 'FJC_FORBIDDEN', result.reason);
    }
    if (metrics && result.principal.grants.length === 0) throw new AuthRefusal(403, 'FJC_FORBIDDEN', 'reading /metrics needs a role in some namespace');
    (req as RequestWithPrincipal).principal = result.principal;
    return true;
  }
}

type RequestWithPrincipal = Request & { principal?: Principal };
