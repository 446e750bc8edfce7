import { Injectable } from '@nestjs/common';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { assertTenantExists } from '../tenants/tenants.query.js';
import type { OrgUnitManager } from './org-unit.decider.js';

export interface OrgUnitView {
  orgUnitId: string;
  tenantId: string;
  name: string;
  parent: { orgUnitId: string; name: string } | null;
  manager: OrgUnitManager | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  tenant_id: string;
  org_unit_id: string;
  name: string;
  parent_org_unit_id: string | null;
  parent_name: string | null;
  manager_id: string | null;
  manager_name: string | null;
  manager_email: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT ou.*, parent.name AS parent_name FROM org_units_view ou
  LEFT JOIN org_units_view parent ON parent.tenant_id = ou.tenant_id AND parent.org_unit_id = ou.parent_org_unit_id`;

const toView = (r: Row): OrgUnitView => ({
  orgUnitId: r.org_unit_id,
  tenantId: r.tenant_id,
  name: r.name,
  parent: r.parent_org_unit_id ? { orgUnitId: r.parent_org_unit_id, name: r.parent_name! } : null,
  manager: r.manager_id ? { managerId: r.manager_id, name: r.manager_name!, email: r.manager_email! } : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class OrgUnitsQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async get(tenantId: string, orgUnitId: string): Promise<OrgUnitView> {
    const [row] = await this.store.sql.rows<Row>(`${SELECT} WHERE ou.tenant_id = $1 AND ou.org_unit_id = $2`, [tenantId, orgUnitId]);
    if (!row) throw new NotFoundError('org unit', orgUnitId);
    return toView(row);
  }

  /** The tenant's whole tree, flat: each unit names its parent. */
  async list(tenantId: string): Promise<OrgUnitView[]> {
    await assertTenantExists(this.store.sql, tenantId);
    const rows = await this.store.sql.rows<Row>(`${SELECT} WHERE ou.tenant_id = $1 ORDER BY ou.created_at, ou.org_unit_id`, [tenantId]);
    return rows.map(toView);
  }
}

/** Whether a unit under the same parent (or another root unit) already has the name, case-insensitively. */
export async function siblingNameTaken(sql: Sql, tenantId: string, parentOrgUnitId: string | null, name: string): Promise<boolean> {
  const rows = await sql.rows(
    `SELECT 1 FROM org_units_view
     WHERE tenant_id = $1 AND coalesce(parent_org_unit_id, '') = coalesce($2, '') AND lower(name) = lower($3)`,
    [tenantId, parentOrgUnitId, name],
  );
  return rows.length > 0;
}
