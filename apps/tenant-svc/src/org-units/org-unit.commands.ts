import { Injectable } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { assertTenantExists } from '../tenants/tenants.query.js';
import { orgUnitDecider, orgUnitStream, type OrgUnitManager } from './org-unit.decider.js';
import { siblingNameTaken } from './org-units.query.js';

/** Org unit commands, each one transaction that first reads what the decider needs to know. */
@Injectable()
export class OrgUnitCommands {
  constructor(private readonly store: PostgresEventStore) {}

  async create(tenantId: string, orgUnitId: string, name: string, parentOrgUnitId: string | null): Promise<void> {
    await this.store.transaction(async (uow) => {
      await assertTenantExists(uow.sql, tenantId);
      const parentExists =
        parentOrgUnitId !== null && (await uow.load(orgUnitStream(tenantId, parentOrgUnitId), orgUnitDecider)).version > 0;
      const command = {
        type: 'CreateOrgUnit' as const,
        orgUnitId,
        name,
        parentOrgUnitId,
        parentExists,
        siblingNameTaken: await siblingNameTaken(uow.sql, tenantId, parentOrgUnitId, name),
      };
      await uow.decide(orgUnitStream(tenantId, orgUnitId), orgUnitDecider, command, metadataFor(tenantId));
    });
  }

  async assignManager(tenantId: string, orgUnitId: string, manager: OrgUnitManager): Promise<void> {
    await this.store.transaction(async (uow) => {
      await assertTenantExists(uow.sql, tenantId);
      const command = { type: 'AssignOrgUnitManager' as const, orgUnitId, manager };
      await uow.decide(orgUnitStream(tenantId, orgUnitId), orgUnitDecider, command, metadataFor(tenantId));
    });
  }
}
