import { Body, Controller, Get, Inject, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { z } from 'zod';
import { assertTenantAccess, Caller, Public, Roles, type Principal } from '@softphone/auth';
import { DomainError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import type { ServiceConfig } from '../src/config.js';
import { EventSourcingModule } from '../src/event-sourcing.module.js';
import { HttpApiModule } from '../src/http-api.module.js';
import { MessagingModule } from '../src/messaging.module.js';
import { RedisModule } from '../src/redis.module.js';
import { ServiceCoreModule } from '../src/service-core.module.js';

const Gateways = z.object({
  gateways: z.array(z.object({ gatewayId: z.string().min(1), address: z.string().min(3) })).min(1),
});

/** A minimal service on the platform, for the platform's own tests. */
@Controller('tenants')
class ProbeController {
  constructor(@Inject(PostgresEventStore) private readonly store: PostgresEventStore) {}

  @Roles('system-admin', 'tenant-admin')
  @Get(':tenantId')
  read(@Caller() caller: Principal, @Param('tenantId') tenantId: string) {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return { tenantId };
  }

  @Roles('system-admin')
  @Post(':tenantId/gateways')
  async setGateways(@Param('tenantId') tenantId: string, @Body({ schema: Gateways }) body: z.infer<typeof Gateways>) {
    if (body.gateways.length > 3) throw new DomainError('TOO_MANY_GATEWAYS', 'at most 3 gateways', { status: 422, field: 'gateways' });
    const events = await this.store.append(
      `tenant-${tenantId}`,
      0,
      [{ type: 'tenant.webrtc-gateways-changed', data: { tenantId, gateways: body.gateways } }],
      { tenantId, correlationId: 'probe' },
    );
    return { version: events.length };
  }
}

/** A route anyone may call. */
@Controller('status')
class ProbeStatusController {
  @Public()
  @Get()
  status() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController, ProbeStatusController] })
class ProbeModule {}

/** A minimal service on the platform modules, with Redis or without. */
export function probeServiceModule(config: ServiceConfig, options: { redis: boolean }): DynamicModule {
  return {
    module: ProbeModule,
    imports: [
      ServiceCoreModule.forService(config),
      EventSourcingModule.forService({ migrations: MessagingModule.schema }),
      MessagingModule,
      HttpApiModule,
      ...(options.redis ? [RedisModule] : []),
    ],
  };
}
