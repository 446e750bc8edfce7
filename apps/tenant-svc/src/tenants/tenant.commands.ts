import { Injectable } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { tenantDecider, tenantStream, type TenantCommand } from './tenant.decider.js';
import { TenantsQuery, type TenantView } from './tenants.query.js';

/** Tenant commands: each decided on the tenant's stream in one transaction; answers the tenant as the read API shows it. */
@Injectable()
export class TenantCommands {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: TenantsQuery,
  ) {}

  async execute(command: TenantCommand): Promise<TenantView> {
    await this.store.transaction((uow) =>
      uow.decide(tenantStream(command.tenantId), tenantDecider, command, metadataFor(command.tenantId)),
    );
    return this.query.get(command.tenantId);
  }
}
