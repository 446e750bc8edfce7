import { Injectable } from '@nestjs/common';
import type { DomainEvent, Envelope } from '@softphone/contracts';
import type { RecordedEvent, Sql } from '@softphone/event-store';

/**
 * What quality-svc knows of the other services, in its own tables: each
 * call's agent (and end), each agent's org unit and name, the org units with
 * their parents and managers, and the tenant parameter on internal messages.
 * Every write is an upsert of the event's facts: replayable and idempotent.
 */
/** The events apply writes something for. */
const APPLIED: ReadonlySet<string> = new Set<DomainEvent['type']>([
  'tenant.parameters-changed',
  'tenant.org-unit-created',
  'tenant.org-unit-manager-assigned',
  'agent.created',
  'call.arrived',
  'call.placed',
  'call.offered',
  'call.connected',
  'call.ended',
]);

@Injectable()
export class DirectoryFactsProjection {
  handles(type: string): boolean {
    return APPLIED.has(type);
  }

  async apply(sql: Sql, event: RecordedEvent | Envelope): Promise<void> {
    const { tenantId } = event;
    switch (event.type) {
      case 'tenant.parameters-changed':
        await sql.execute(
          `INSERT INTO tenant_parameters (tenant_id, notify_ou_managers_on_poor_network) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET notify_ou_managers_on_poor_network = EXCLUDED.notify_ou_managers_on_poor_network`,
          [tenantId, event.data.notifyOuManagersOnPoorNetwork],
        );
        return;
      case 'tenant.org-unit-created':
        await sql.execute(
          `INSERT INTO org_units (tenant_id, org_unit_id, name, parent_org_unit_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, org_unit_id) DO UPDATE SET name = EXCLUDED.name, parent_org_unit_id = EXCLUDED.parent_org_unit_id`,
          [tenantId, event.data.orgUnitId, event.data.name, event.data.parentOrgUnitId],
        );
        return;
      case 'tenant.org-unit-manager-assigned': {
        const { managerId, name, email } = event.data.manager;
        await sql.execute(
          `INSERT INTO org_units (tenant_id, org_unit_id, manager_id, manager_name, manager_email) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant_id, org_unit_id) DO UPDATE
           SET manager_id = EXCLUDED.manager_id, manager_name = EXCLUDED.manager_name, manager_email = EXCLUDED.manager_email`,
          [tenantId, event.data.orgUnitId, managerId, name, email],
        );
        return;
      }
      case 'agent.created':
        await sql.execute(
          `INSERT INTO agents (tenant_id, agent_id, org_unit_id, name) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, agent_id) DO UPDATE SET org_unit_id = EXCLUDED.org_unit_id, name = EXCLUDED.name`,
          [tenantId, event.data.agentId, event.data.orgUnitId, event.data.name],
        );
        return;
      case 'call.arrived':
        // Known from its first fact (samples of an inbound call may come before an agent has it); its agent comes with the next.
        await sql.execute(`INSERT INTO calls (tenant_id, call_id) VALUES ($1, $2) ON CONFLICT (tenant_id, call_id) DO NOTHING`, [
          tenantId,
          event.data.callId,
        ]);
        return;
      case 'call.placed':
      case 'call.offered':
      case 'call.connected':
        await sql.execute(
          `INSERT INTO calls (tenant_id, call_id, agent_id) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, call_id) DO UPDATE SET agent_id = EXCLUDED.agent_id`,
          [tenantId, event.data.callId, event.data.agentId],
        );
        return;
      case 'call.ended':
        await sql.execute(
          `INSERT INTO calls (tenant_id, call_id, agent_id, ended_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, call_id) DO UPDATE SET agent_id = coalesce(EXCLUDED.agent_id, calls.agent_id), ended_at = EXCLUDED.ended_at`,
          [tenantId, event.data.callId, event.data.agentId, event.occurredAt],
        );
        return;
    }
  }
}
