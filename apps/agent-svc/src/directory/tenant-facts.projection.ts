import { Injectable } from '@nestjs/common';
import type { Envelope, TenantEvent } from '@softphone/contracts';
import type { InlineProjection, Sql } from '@softphone/event-store';

type FactColumn = 'status' | 'webrtc_enabled' | 'gateways' | 'pool_mode' | 'softphone_unified_authentication';

/**
 * What agent-svc knows of tenant-svc, replayable from its events: each tenant's
 * status, WebRTC and gateways, pool mode and unified authentication
 * (`tenant_facts`), its skill queues with their media type (`skill_queues`)
 * and its org units (`org_units`). Every write is scoped by tenant and gives
 * the same tables however often an event is applied.
 */
@Injectable()
export class TenantFactsProjection implements InlineProjection {
  readonly name = 'agent-svc tenant facts';

  handles(type: string): boolean {
    return type.startsWith('tenant.');
  }

  async apply(sql: Sql, envelope: Envelope): Promise<void> {
    const event = envelope as Envelope<TenantEvent>;
    const { tenantId } = event;
    const set = async (values: Partial<Record<FactColumn, unknown>>) => {
      const columns = Object.keys(values);
      const placeholders = columns.map((c, i) => (c === 'gateways' ? `$${i + 2}::jsonb` : `$${i + 2}`));
      await sql.execute(
        `INSERT INTO tenant_facts (tenant_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')})
         ON CONFLICT (tenant_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        [tenantId, ...Object.values(values)],
      );
    };
    switch (event.type) {
      case 'tenant.created':
        return set({ pool_mode: event.data.poolMode });
      case 'tenant.pool-mode-changed':
        return set({ pool_mode: event.data.poolMode });
      case 'tenant.suspended':
        return set({ status: 'suspended' });
      case 'tenant.resumed':
        return set({ status: 'normal' });
      case 'tenant.webrtc-enabled':
        return set({ webrtc_enabled: true, gateways: JSON.stringify(event.data.gateways) });
      case 'tenant.webrtc-disabled':
        return set({ webrtc_enabled: false, gateways: '[]' });
      case 'tenant.webrtc-gateways-changed':
        return set({ webrtc_enabled: true, gateways: JSON.stringify(event.data.gateways) });
      case 'tenant.parameters-changed':
        return set({ softphone_unified_authentication: event.data.softphoneUnifiedAuthentication });
      case 'tenant.skill-queue-created':
        await sql.execute('INSERT INTO skill_queues (tenant_id, skill_queue_id, media_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          tenantId,
          event.data.skillQueueId,
          event.data.mediaType,
        ]);
        return;
      case 'tenant.org-unit-created':
        await sql.execute('INSERT INTO org_units (tenant_id, org_unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          tenantId,
          event.data.orgUnitId,
        ]);
        return;
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('TRUNCATE tenant_facts, skill_queues, org_units');
  }
}
