import { Injectable } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { isUniqueViolation } from '@softphone/event-store';
import { orgUnitNameTaken, type OrgUnitEvent } from './org-unit.decider.js';

/**
 * org_units_view: one row per org unit with its parent and manager. Its unique
 * sibling-name index guards the append: of two units created at once with the
 * same name under the same parent, the second fails with ORG_UNIT_NAME_TAKEN.
 */
@Injectable()
export class OrgUnitsProjection implements InlineProjection {
  readonly name = 'org_units_view';

  handles(type: string): boolean {
    return type === 'tenant.org-unit-created' || type === 'tenant.org-unit-manager-assigned';
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<OrgUnitEvent>;
    switch (event.type) {
      case 'tenant.org-unit-created': {
        const { orgUnitId, name, parentOrgUnitId } = event.data;
        await sql
          .execute(
            `INSERT INTO org_units_view (tenant_id, org_unit_id, name, parent_org_unit_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)`,
            [event.tenantId, orgUnitId, name, parentOrgUnitId, event.occurredAt],
          )
          .catch((error: unknown) => {
            throw isUniqueViolation(error, 'org_units_view_sibling_name') ? orgUnitNameTaken(name) : error;
          });
        return;
      }
      case 'tenant.org-unit-manager-assigned': {
        const { managerId, name, email } = event.data.manager;
        await sql.execute(
          `UPDATE org_units_view SET manager_id = $3, manager_name = $4, manager_email = $5, updated_at = $6
           WHERE tenant_id = $1 AND org_unit_id = $2`,
          [event.tenantId, event.data.orgUnitId, managerId, name, email, event.occurredAt],
        );
        return;
      }
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM org_units_view');
  }
}
