import { Injectable } from '@nestjs/common';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { Envelope, TenantEvent } from '@softphone/contracts';

/** tenants_view: one row per tenant, as the read API shows it. */
@Injectable()
export class TenantsProjection implements InlineProjection {
  readonly name = 'tenants_view';

  handles(type: string): boolean {
    return type.startsWith('tenant.') && !TENANT_DIRECTORY_EVENTS.has(type);
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<TenantEvent>;
    const set = (assignments: string, values: unknown[]) =>
      sql.execute(`UPDATE tenants_view SET ${assignments}, updated_at = $1 WHERE tenant_id = $2`, [
        event.occurredAt,
        event.tenantId,
        ...values,
      ]);
    switch (event.type) {
      case 'tenant.created':
        await sql.execute(
          `INSERT INTO tenants_view (tenant_id, name, status, pool_mode, created_at, updated_at) VALUES ($1, $2, 'normal', $3, $4, $4)`,
          [event.data.tenantId, event.data.name, event.data.poolMode, event.occurredAt],
        );
        return;
      case 'tenant.suspended':
        await set(`status = 'suspended'`, []);
        return;
      case 'tenant.resumed':
        await set(`status = 'normal'`, []);
        return;
      case 'tenant.pool-mode-changed':
        await set('pool_mode = $3', [event.data.poolMode]);
        return;
      case 'tenant.webrtc-enabled':
      case 'tenant.webrtc-gateways-changed':
        await set('webrtc_enabled = true, gateways = $3::jsonb', [JSON.stringify(event.data.gateways)]);
        return;
      case 'tenant.webrtc-disabled':
        await set(`webrtc_enabled = false, gateways = '[]'`, []);
        return;
      case 'tenant.parameters-changed':
        await set('notify_ou_managers_on_poor_network = $3, softphone_unified_authentication = $4', [
          event.data.notifyOuManagersOnPoorNetwork,
          event.data.softphoneUnifiedAuthentication,
        ]);
        return;
      case 'tenant.call-handling-changed':
        await set('auto_answer_guard_seconds = $3, ring_timeout_seconds = $4, wrap_up_seconds = $5', [
          event.data.autoAnswerGuardSeconds,
          event.data.ringTimeoutSeconds,
          event.data.wrapUpSeconds,
        ]);
        return;
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM tenants_view');
  }
}

/** Tenant events about its org units, skill queues and IVRs have read models of their own. */
const TENANT_DIRECTORY_EVENTS = new Set([
  'tenant.org-unit-created',
  'tenant.org-unit-manager-assigned',
  'tenant.skill-queue-created',
  'tenant.ivr-created',
]);
