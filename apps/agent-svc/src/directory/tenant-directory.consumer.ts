import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Envelope, TenantEvent } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { AgentCommands } from '../agents/agent-commands.js';
import type { AgentCommand } from '../agents/agent.decider.js';
import { tenantFacts } from './tenant-facts.js';

type FactColumn = 'status' | 'webrtc_enabled' | 'gateways' | 'pool_mode' | 'softphone_unified_authentication';

/**
 * What agent-svc keeps of tenant-svc's events (tenant_facts, skill_queues), and
 * its reactions: WebRTC disabled or the tenant suspended unregisters the
 * tenant's phones; changed gateways make them register again; pool mode adds
 * or lets go phone 2.
 */
@Injectable()
export class TenantDirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly commands: AgentCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('tenant-directory', ['tenant'], {
      handle: (event, uow) => this.apply(event as Envelope<TenantEvent>, uow),
    });
  }

  private async apply(event: Envelope<TenantEvent>, uow: UnitOfWork): Promise<void> {
    const { tenantId } = event;
    const set = async (values: Partial<Record<FactColumn, unknown>>) => {
      const columns = Object.keys(values);
      const placeholders = columns.map((c, i) => (c === 'gateways' ? `$${i + 2}::jsonb` : `$${i + 2}`));
      await uow.sql.execute(
        `INSERT INTO tenant_facts (tenant_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')})
         ON CONFLICT (tenant_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        [tenantId, ...Object.values(values)],
      );
    };
    switch (event.type) {
      case 'tenant.created':
        return set({ pool_mode: event.data.poolMode });
      case 'tenant.pool-mode-changed': {
        await set({ pool_mode: event.data.poolMode });
        const tenant = await tenantFacts(uow.sql, tenantId);
        return this.forAgentsWithPhones(uow, tenantId, (agentId) => ({ type: 'ApplyPoolMode', agentId, tenant }));
      }
      case 'tenant.suspended':
        await set({ status: 'suspended' });
        return this.forAgentsWithPhones(uow, tenantId, (agentId) => ({ type: 'UnregisterPhones', agentId, reason: 'tenant-suspended' }));
      case 'tenant.resumed':
        return set({ status: 'normal' });
      case 'tenant.webrtc-enabled':
        return set({ webrtc_enabled: true, gateways: JSON.stringify(event.data.gateways) });
      case 'tenant.webrtc-disabled':
        await set({ webrtc_enabled: false, gateways: '[]' });
        return this.forAgentsWithPhones(uow, tenantId, (agentId) => ({ type: 'UnregisterPhones', agentId, reason: 'webrtc-disabled' }));
      case 'tenant.webrtc-gateways-changed': {
        await set({ webrtc_enabled: true, gateways: JSON.stringify(event.data.gateways) });
        const tenant = await tenantFacts(uow.sql, tenantId);
        return this.forAgentsWithPhones(uow, tenantId, (agentId) => ({ type: 'ReRegisterOnNewGateways', agentId, tenant }));
      }
      case 'tenant.parameters-changed':
        return set({ softphone_unified_authentication: event.data.softphoneUnifiedAuthentication });
      case 'tenant.skill-queue-created':
        await uow.sql.execute(
          'INSERT INTO skill_queues (tenant_id, skill_queue_id, media_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [tenantId, event.data.skillQueueId, event.data.mediaType],
        );
        return;
    }
  }

  /** Decides `command` for every agent of the tenant with a phone not unregistered, in the same transaction. */
  private async forAgentsWithPhones(uow: UnitOfWork, tenantId: string, command: (agentId: string) => AgentCommand): Promise<void> {
    const agents = await uow.sql.rows<{ agent_id: string }>(
      `SELECT agent_id FROM agents_view
       WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM jsonb_each_text(phones) WHERE value <> 'unregistered')
       ORDER BY agent_id`,
      [tenantId],
    );
    for (const { agent_id } of agents) await this.commands.decideIn(uow, tenantId, command(agent_id));
  }
}
