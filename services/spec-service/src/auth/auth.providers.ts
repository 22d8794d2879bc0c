// Nest providers of authentication: the config from the environment, the Authenticator (API
// tokens, OIDC, the policy file) and the global guard. Registering the bootstrap admin token
// happens here, after the migrations (DB_POOL's factory runs them).
import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import { AccessPolicy } from './access-policy';
import { ApiTokenLookup, registerBootstrapToken } from './api-tokens';
import { AUTH_CONFIG, authConfigFromEnv, type AuthConfig } from './auth-config';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { OidcVerifier } from './oidc-verifier';

export const AUTH_PROVIDERS: Provider[] = [
  { provide: AUTH_CONFIG, useFactory: () => authConfigFromEnv(process.env) },
  {
    provide: Authenticator,
    inject: [AUTH_CONFIG, DB_POOL, ID_GENERATOR, Logger],
    useFactory: async (config: AuthConfig, pool: Pool, ids: IdGenerator, logger: Logger) => {
      if (config.bootstrapAdminTokenFile !== null) {
        const outcome = await registerBootstrapToken(pool, config.bootstrapAdminTokenFile, () => ids.newId());
        logger.log({ event: 'auth.bootstrap_token', outcome, msg: `bootstrap admin token from ${config.bootstrapAdminTokenFile}: ${outcome}` }, 'auth');
      }
      const policy = config.policyFile === null ? AccessPolicy.empty() : AccessPolicy.load(config.policyFile, config.issuer);
      logger.log(
        { event: 'auth.configured', issuer: config.issuer, audience: config.audience, policyFile: config.policyFile, msg: `authentication on: API tokens${config.issuer ? `, OIDC tokens of ${config.issuer}` : ''}` },
        'auth',
      );
      return new Authenticator(new ApiTokenLookup(pool, config.tokenCacheS * 1000), new OidcVerifier(config), policy, config.groupsClaim, config.issuer);
    },
  },
  { provide: APP_GUARD, useClass: AuthGuard },
];
