import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard, JWT_SECRET } from '@softphone/auth';
import type { ServiceConfig } from './config.js';
import { HealthController } from './health/health.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { MetricsController } from './http/metrics.js';
import { validationPipe } from './http/validation.js';
import { SERVICE_CONFIG } from './tokens.js';

/**
 * The REST edge: bearer-token guard on every route (unless @Public), one error
 * shape, zod validation of what @Body/@Param/@Query declare, GET /health (the
 * checks the other modules registered) and GET /metrics. The OpenAPI document
 * and the correlation and metrics middleware come with createServiceApp.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: JWT_SECRET, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.jwtSecret },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
    { provide: APP_PIPE, useValue: validationPipe() },
  ],
})
export class HttpApiModule {}
