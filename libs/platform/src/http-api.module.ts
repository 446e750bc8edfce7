import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TOKEN_VERIFIER, tokenVerifier } from '@softphone/auth';
import type { ServiceConfig } from './config.js';
import { HealthController } from './health/health.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { MetricsController } from './http/metrics.js';
import { validationPipe } from './http/validation.js';
import { RateLimitedAuthGuard } from './rate-limit/rate-limited-auth.guard.js';
import { SERVICE_CONFIG } from './tokens.js';

/**
 * The REST edge: bearer-token guard on every route (unless @Public), verified
 * with the identity provider's public keys, and rate limits in Redis when the
 * service imports RedisModule (failing open; the four services do); one error
 * shape, zod validation of what @Body/@Param/@Query declare, GET /health (the
 * checks the other modules registered) and GET /metrics (behind METRICS_TOKEN).
 * The OpenAPI document and the correlation and metrics middleware come with
 * createServiceApp.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    {
      provide: TOKEN_VERIFIER,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => tokenVerifier(config.jwtPublicKeys, config.tokenPolicy),
    },
    { provide: APP_GUARD, useClass: RateLimitedAuthGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
    { provide: APP_PIPE, useValue: validationPipe() },
  ],
})
export class HttpApiModule {}
