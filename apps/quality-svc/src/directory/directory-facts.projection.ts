import { Injectable } from '@nestjs/common';
import type { DomainEvent, Envelope } from '@softphone/contracts';
import type { RecordedEvent, Sql } from '@softphone/event-store';

type Applier<T extends DomainEvent['type']> = (sql: Sql, event: Extract<Envelope, { type: T }>) => Promise<unknown>;

/** The call's agent, known from its offer, placing or connection. */
const callHasAgent = (sql: Sql, { tenantId, data }: Extract<Envelope, { type: 'call.placed' | 'call.offered' | 'call.connected' }>) =>
  sql.execute(
    `INSERT INTO calls (tenant_id, call_id, agent_id) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, call_id) DO UPDATE SET agent_id = EXCLUDED.agent_id`,
    [tenantId, data.callId, data.agentId],
  );

/** What each event writes; the events not here change nothing in quality-svc's directory. */
const APPLY: { [T in DomainEvent['type']]?: Applier<T> } = {
  'tenant.parameters-changed': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO tenant_parameters (tenant_id, notify_ou_managers_on_poor_network) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET notify_ou_managers_on_poor_network = EXCLUDED.notify_ou_managers_on_poor_network`,
      [tenantId, data.notifyOuManagersOnPoorNetwork],
    ),
  'tenant.org-unit-created': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO org_units (tenant_id, org_unit_id, name, parent_org_unit_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, org_unit_id) DO UPDATE SET name = EXCLUDED.name, parent_org_unit_id = EXCLUDED.parent_org_unit_id`,
      [tenantId, data.orgUnitId, data.name, data.parentOrgUnitId],
    ),
  'tenant.org-unit-manager-assigned': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO org_units (tenant_id, org_unit_id, manager_id, manager_name, manager_email) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, org_unit_id) DO UPDATE
       SET manager_id = EXCLUDED.manager_id, manager_name = EXCLUDED.manager_name, manager_email = EXCLUDED.manager_email`,
      [tenantId, data.orgUnitId, data.manager.managerId, data.manager.name, data.manager.email],
    ),
  'agent.created': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO agents (tenant_id, agent_id, org_unit_id, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, agent_id) DO UPDATE SET org_unit_id = EXCLUDED.org_unit_id, name = EXCLUDED.name`,
      [tenantId, data.agentId, data.orgUnitId, data.name],
    ),
  // Known from its first fact (samples of an inbound call may come before an agent has it); its agent comes with the next.
  'call.arrived': (sql, { tenantId, data }) =>
    sql.execute(`INSERT INTO calls (tenant_id, call_id) VALUES ($1, $2) ON CONFLICT (tenant_id, call_id) DO NOTHING`, [
      tenantId,
      data.callId,
    ]),
  'call.placed': callHasAgent,
  'call.offered': callHasAgent,
  'call.connected': callHasAgent,
  'call.ended': (sql, { tenantId, data, occurredAt }) =>
    sql.execute(
      `INSERT INTO calls (tenant_id, call_id, agent_id, ended_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, call_id) DO UPDATE SET agent_id = coalesce(EXCLUDED.agent_id, calls.agent_id), ended_at = EXCLUDED.ended_at`,
      [tenantId, data.callId, data.agentId, occurredAt],
    ),
};

/**
 * What quality-svc knows of the other services, in its own tables: each
 * call's agent (and end), each agent's org unit and name, the org units with
 * their parents and managers, and the tenant parameter on internal messages.
 * Every write is an upsert of the event's facts: replayable and idempotent.
 */
@Injectable()
export class DirectoryFactsProjection {
  handles(type: string): boolean {
    return Object.hasOwn(APPLY, type);
  }

  async apply(sql: Sql, event: RecordedEvent | Envelope): Promise<void> {
    await (APPLY[event.type] as Applier<DomainEvent['type']> | undefined)?.(sql, event);
  }
}
