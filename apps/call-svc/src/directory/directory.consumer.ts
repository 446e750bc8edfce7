import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AgentEvent, Envelope, TenantEvent } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { CallCommands } from '../calls/call-commands.js';
import { Router } from '../routing/router.js';

/**
 * What call-svc knows of the other services, in its own tables: the tenant's
 * access codes (skill queues, IVRs) and each agent's number, sign-in, phones
 * and queues. An agent who becomes able to take calls gets the oldest waiting one;
 * one who can no longer answer (signed out, phone lost) loses the call still ringing on it.
 */
@Injectable()
export class DirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly router: Router,
    private readonly calls: CallCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('directory', ['tenant', 'agent'], {
      handle: (event, uow) => this.apply(event as Envelope<TenantEvent | AgentEvent>, uow),
    });
  }

  private async apply(event: Envelope<TenantEvent | AgentEvent>, uow: UnitOfWork): Promise<void> {
    const { tenantId } = event;
    const sql = uow.sql;
    // Scoped by the event's tenant: an event can only ever touch its own tenant's agents.
    const agent = (assignments: string, agentId: string, values: unknown[] = []) =>
      sql.execute(`UPDATE agents SET ${assignments} WHERE agent_id = $1 AND tenant_id = $${values.length + 2}`, [
        agentId,
        ...values,
        tenantId,
      ]);
    switch (event.type) {
      case 'tenant.skill-queue-created':
        await sql.execute(
          `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id) VALUES ($1, $2, 'queue', $3) ON CONFLICT DO NOTHING`,
          [tenantId, event.data.accessCode, event.data.skillQueueId],
        );
        return;
      case 'tenant.ivr-created':
        await sql.execute(
          `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id, ivr_id, announcement_seconds) VALUES ($1, $2, 'ivr', $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [tenantId, event.data.accessCode, event.data.skillQueueId, event.data.ivrId, event.data.announcementSeconds],
        );
        return;
      case 'tenant.pool-mode-changed':
        // Out of pool mode the softphone is phone 1 alone: a phone 2 let go must not keep its agent "not registered".
        if (!event.data.poolMode) await sql.execute(`UPDATE agents SET phones = phones - '2' WHERE tenant_id = $1`, [tenantId]);
        return;
      case 'agent.created':
        await sql.execute(
          'INSERT INTO agents (agent_id, tenant_id, softphone_number) VALUES ($1, $2, $3) ON CONFLICT (agent_id) DO NOTHING',
          [event.data.agentId, tenantId, event.data.softphoneNumber],
        );
        return;
      case 'agent.skill-queues-bound':
        await agent('skill_queue_ids = $2::jsonb', event.data.agentId, [JSON.stringify(event.data.skillQueueIds)]);
        break;
      case 'agent.signed-in':
        await agent('signed_in = true', event.data.agentId);
        break;
      case 'agent.signed-out':
        await agent(`signed_in = false, phones = '{}'`, event.data.agentId);
        return this.calls.withdrawFromAgent(uow, tenantId, event.data.agentId, null);
      case 'agent.softphone-registration-requested': {
        const patch = Object.fromEntries(event.data.phones.map((p) => [String(p.phoneId), 'registering']));
        await agent('phones = phones || $2::jsonb', event.data.agentId, [JSON.stringify(patch)]);
        return;
      }
      case 'agent.softphone-registered':
        await agent(`phones = jsonb_set(phones, ARRAY[$2], '"registered"')`, event.data.agentId, [String(event.data.phoneId)]);
        break;
      case 'agent.softphone-registration-failed':
      case 'agent.softphone-deregistered':
        // Never re-adds a phone 2 that pool mode's end removed (the two events travel on different topics).
        await agent(`phones = jsonb_set(phones, ARRAY[$2], '"unregistered"', false)`, event.data.agentId, [String(event.data.phoneId)]);
        return this.calls.withdrawFromAgent(uow, tenantId, event.data.agentId, event.data.phoneId);
      case 'agent.softphones-unregistered':
        await agent(`phones = '{}'`, event.data.agentId);
        return this.calls.withdrawFromAgent(uow, tenantId, event.data.agentId, null);
      default:
        return;
    }
    // Signed in, registered or bound to new queues: maybe able to take a waiting call now.
    await this.router.routeAgent(uow, tenantId, event.data.agentId);
  }
}
