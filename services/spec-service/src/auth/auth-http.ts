// What the HTTP adapters need from authentication: the refusal the guard throws (401/403 with a
// code, written by ApiExceptionFilter), a marker for open routes, and the caller of a request.
import { createParamDecorator, HttpException, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal';

export class AuthRefusal extends HttpException {
  constructor(
    status: 401 | 403 | 503,
    readonly code: 'FJC_UNAUTHENTICATED' | 'FJC_FORBIDDEN' | 'FJC_IDP_UNAVAILABLE',
    message: string,
  ) {
    super(message, status);
  }
}

export const PUBLIC_ROUTE = 'fjc:public-route';
/** A route anyone may call (the API description). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** The authenticated caller; AuthGuard has set it before any handler runs. */
export function principalOf(req: Request): Principal {
  const principal = (req as Request & { principal?: Principal }).principal;
  if (!principal) throw new Error('no principal on the request: AuthGuard did not run');
  return principal;
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => principalOf(ctx.switchToHttp().getRequest<Request>()));
