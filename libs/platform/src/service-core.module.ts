import { Module, type DynamicModule } from '@nestjs/common';
import { systemClock, type Clock } from './clock.js';
import type { ServiceConfig } from './config.js';
import { HealthChecks } from './health/health-checks.js';
import { CLOCK, SERVICE_CONFIG } from './tokens.js';
import { TracingShutdown } from './tracing.js';

/**
 * What every service has: its validated configuration (SERVICE_CONFIG), its
 * clock (CLOCK, a ManualClock in tests) and the registry of its health checks.
 * Logs are the application's logger (createServiceApp). The other platform
 * modules (EventSourcingModule, MessagingModule, HttpApiModule, RedisModule)
 * stand on this one and are imported only by the services that use them.
 */
@Module({})
export class ServiceCoreModule {
  static forService(config: ServiceConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: ServiceCoreModule,
      global: true,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        HealthChecks,
        TracingShutdown,
      ],
      exports: [SERVICE_CONFIG, CLOCK, HealthChecks],
    };
  }
}
