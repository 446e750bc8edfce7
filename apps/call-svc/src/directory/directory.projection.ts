import { Injectable } from '@nestjs/common';
import { VOICE_RELATED_MEDIA_TYPES, type AgentEvent, type Envelope, type TenantEvent } from '@softphone/contracts';
import type { InlineProjection, Sql } from '@softphone/event-store';
import { reindexAgent } from '../routing/routable-agents.js';

/** Phone statuses as agent-svc's events leave them (an unregistered phone is absent). */
const PHONE_STATUS_OF: Partial<Record<AgentEvent['type'], string>> = {
  'agent.softphone-registered': 'registered',
  'agent.softphone-registration-failed': 'failed',
  'agent.softphone-deregistered': 'deregistered',
};

/** The events apply writes something for (the others change nothing here: their consumer passes them over). */
const APPLIED: ReadonlySet<string> = new Set<(TenantEvent | AgentEvent)['type']>([
  'tenant.skill-queue-created',
  'tenant.ivr-created',
  'tenant.call-handling-changed',
  'tenant.pool-mode-changed',
  'agent.created',
  'agent.skill-queues-bound',
  'agent.signed-in',
  'agent.signed-out',
  'agent.softphone-registration-requested',
  'agent.softphone-registered',
  'agent.softphone-registration-failed',
  'agent.softphone-deregistered',
  'agent.softphones-unregistered',
  'agent.softphone-reachable',
  'agent.softphone-unreachable',
]);

/**
 * What call-svc knows of the other services, replayable from their events:
 * each agent's number, sign-in, phones, queues and softphone liveness
 * (`agents`), the tenant's access codes (`destinations`) and its call-handling
 * parameters (`tenant_settings`), and each agent's place in the index of
 * routable agents (`routable_agents`). Every write is scoped by tenant and gives the
 * same table however often an event is applied.
 */
@Injectable()
export class DirectoryProjection implements InlineProjection {
  readonly name = 'call-svc directory';

  handles(type: string): boolean {
    return APPLIED.has(type);
  }

  async apply(sql: Sql, envelope: Envelope): Promise<void> {
    const event = envelope as Envelope<TenantEvent | AgentEvent>;
    const { tenantId } = event;
    // An agent's row changed: the routing policy judges it again for the index of routable agents.
    const agent = async (assignments: string, agentId: string, values: unknown[] = []) => {
      await sql.execute(`UPDATE agents SET ${assignments} WHERE tenant_id = $1 AND agent_id = $2`, [tenantId, agentId, ...values]);
      await reindexAgent(sql, agentId);
    };
    switch (event.type) {
      case 'tenant.skill-queue-created':
        await sql.execute(
          `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id, voice_related) VALUES ($1, $2, 'queue', $3, $4)
           ON CONFLICT DO NOTHING`,
          [tenantId, event.data.accessCode, event.data.skillQueueId, VOICE_RELATED_MEDIA_TYPES.includes(event.data.mediaType)],
        );
        return;
      case 'tenant.ivr-created':
        await sql.execute(
          `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id, ivr_id, announcement_seconds) VALUES ($1, $2, 'ivr', $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [tenantId, event.data.accessCode, event.data.skillQueueId, event.data.ivrId, event.data.announcementSeconds],
        );
        return;
      case 'tenant.call-handling-changed': {
        const { autoAnswerGuardSeconds, ringTimeoutSeconds, wrapUpSeconds } = event.data;
        await sql.execute(
          `INSERT INTO tenant_settings (tenant_id, auto_answer_guard_seconds, ring_timeout_seconds, wrap_up_seconds) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id) DO UPDATE SET auto_answer_guard_seconds = EXCLUDED.auto_answer_guard_seconds,
             ring_timeout_seconds = EXCLUDED.ring_timeout_seconds, wrap_up_seconds = EXCLUDED.wrap_up_seconds`,
          [tenantId, autoAnswerGuardSeconds, ringTimeoutSeconds, wrapUpSeconds],
        );
        return;
      }
      case 'tenant.pool-mode-changed':
        // Out of pool mode the softphone is phone 1 alone: a phone 2 let go must not keep its agent "not registered".
        if (event.data.poolMode) return;
        for (const { agent_id } of await sql.rows<{ agent_id: string }>(
          `UPDATE agents SET phones = phones - '2' WHERE tenant_id = $1 RETURNING agent_id`,
          [tenantId],
        ))
          await reindexAgent(sql, agent_id);
        return;
      case 'agent.created':
        await sql.execute(
          'INSERT INTO agents (agent_id, tenant_id, softphone_number) VALUES ($1, $2, $3) ON CONFLICT (agent_id) DO NOTHING',
          [event.data.agentId, tenantId, event.data.softphoneNumber],
        );
        return;
      case 'agent.skill-queues-bound':
        return agent('skill_queue_ids = $3::jsonb', event.data.agentId, [JSON.stringify(event.data.skillQueueIds)]);
      case 'agent.signed-in':
        return agent('signed_in = true, softphone_reachable = true', event.data.agentId);
      case 'agent.signed-out':
        return agent(`signed_in = false, phones = '{}', softphone_reachable = true`, event.data.agentId);
      case 'agent.softphone-registration-requested': {
        const patch = Object.fromEntries(event.data.phones.map((p) => [String(p.phoneId), 'registering']));
        return agent('phones = phones || $3::jsonb', event.data.agentId, [JSON.stringify(patch)]);
      }
      case 'agent.softphone-registered':
      case 'agent.softphone-registration-failed':
      case 'agent.softphone-deregistered':
        // A failed or deregistered phone keeps its place (never re-adding a phone 2 that pool mode's end removed).
        return agent(`phones = jsonb_set(phones, ARRAY[$3], $4::jsonb, $5)`, event.data.agentId, [
          String(event.data.phoneId),
          JSON.stringify(PHONE_STATUS_OF[event.type]),
          event.type === 'agent.softphone-registered',
        ]);
      case 'agent.softphones-unregistered':
        return agent(`phones = '{}'`, event.data.agentId);
      case 'agent.softphone-reachable':
        return agent('softphone_reachable = true', event.data.agentId);
      case 'agent.softphone-unreachable':
        return agent('softphone_reachable = false', event.data.agentId);
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('TRUNCATE agents, routable_agents, destinations, tenant_settings');
  }
}
