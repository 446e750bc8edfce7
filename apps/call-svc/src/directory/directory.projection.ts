import { Injectable } from '@nestjs/common';
import { VOICE_RELATED_MEDIA_TYPES, type AgentEvent, type Envelope, type TenantEvent } from '@softphone/contracts';
import type { InlineProjection, Sql } from '@softphone/event-store';
import { reindexAgent } from '../routing/routable-agents.js';

/** Phone statuses as agent-svc's events leave them (an unregistered phone is absent). */
const PHONE_STATUS_OF = {
  'agent.softphone-registered': 'registered',
  'agent.softphone-registration-failed': 'failed',
  'agent.softphone-deregistered': 'deregistered',
} as const;

type DirectoryEvent = TenantEvent | AgentEvent;
type DirectoryEnvelope = Envelope<DirectoryEvent>;
type Applier<T extends DirectoryEvent['type']> = (sql: Sql, event: Extract<DirectoryEnvelope, { type: T }>) => Promise<unknown>;

/** An agent's row changed: the routing policy judges it again for the index of routable agents. */
async function updateAgent(
  sql: Sql,
  { tenantId, data }: DirectoryEnvelope & { data: { agentId: string } },
  assignments: string,
  values: unknown[] = [],
) {
  await sql.execute(`UPDATE agents SET ${assignments} WHERE tenant_id = $1 AND agent_id = $2`, [tenantId, data.agentId, ...values]);
  await reindexAgent(sql, data.agentId);
}

/** A failed or deregistered phone keeps its place (never re-adding a phone 2 that pool mode's end removed). */
function phoneStatusChanged(sql: Sql, event: Extract<DirectoryEnvelope, { type: keyof typeof PHONE_STATUS_OF }>): Promise<void> {
  return updateAgent(sql, event, `phones = jsonb_set(phones, ARRAY[$3], $4::jsonb, $5)`, [
    String(event.data.phoneId),
    JSON.stringify(PHONE_STATUS_OF[event.type]),
    event.type === 'agent.softphone-registered',
  ]);
}

/** What each event writes; the events not here change nothing in call-svc (their consumer passes them over). */
const APPLY: { [T in DirectoryEvent['type']]?: Applier<T> } = {
  'tenant.skill-queue-created': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id, voice_related) VALUES ($1, $2, 'queue', $3, $4)
       ON CONFLICT DO NOTHING`,
      [tenantId, data.accessCode, data.skillQueueId, VOICE_RELATED_MEDIA_TYPES.includes(data.mediaType)],
    ),
  'tenant.ivr-created': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO destinations (tenant_id, access_code, kind, skill_queue_id, ivr_id, announcement_seconds) VALUES ($1, $2, 'ivr', $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [tenantId, data.accessCode, data.skillQueueId, data.ivrId, data.announcementSeconds],
    ),
  'tenant.call-handling-changed': (sql, { tenantId, data }) =>
    sql.execute(
      `INSERT INTO tenant_settings (tenant_id, auto_answer_guard_seconds, ring_timeout_seconds, wrap_up_seconds) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET auto_answer_guard_seconds = EXCLUDED.auto_answer_guard_seconds,
         ring_timeout_seconds = EXCLUDED.ring_timeout_seconds, wrap_up_seconds = EXCLUDED.wrap_up_seconds`,
      [tenantId, data.autoAnswerGuardSeconds, data.ringTimeoutSeconds, data.wrapUpSeconds],
    ),
  'tenant.pool-mode-changed': async (sql, { tenantId, data }) => {
    // Out of pool mode the softphone is phone 1 alone: a phone 2 let go must not keep its agent "not registered".
    if (data.poolMode) return;
    const agents = await sql.rows<{ agent_id: string }>(`UPDATE agents SET phones = phones - '2' WHERE tenant_id = $1 RETURNING agent_id`, [
      tenantId,
    ]);
    for (const { agent_id } of agents) await reindexAgent(sql, agent_id);
  },
  'agent.created': (sql, { tenantId, data }) =>
    sql.execute('INSERT INTO agents (agent_id, tenant_id, softphone_number) VALUES ($1, $2, $3) ON CONFLICT (agent_id) DO NOTHING', [
      data.agentId,
      tenantId,
      data.softphoneNumber,
    ]),
  'agent.skill-queues-bound': (sql, event) =>
    updateAgent(sql, event, 'skill_queue_ids = $3::jsonb', [JSON.stringify(event.data.skillQueueIds)]),
  'agent.signed-in': (sql, event) => updateAgent(sql, event, 'signed_in = true, softphone_reachable = true'),
  'agent.signed-out': (sql, event) => updateAgent(sql, event, `signed_in = false, phones = '{}', softphone_reachable = true`),
  'agent.softphone-registration-requested': (sql, event) => {
    const patch = Object.fromEntries(event.data.phones.map((p) => [String(p.phoneId), 'registering']));
    return updateAgent(sql, event, 'phones = phones || $3::jsonb', [JSON.stringify(patch)]);
  },
  'agent.softphone-registered': phoneStatusChanged,
  'agent.softphone-registration-failed': phoneStatusChanged,
  'agent.softphone-deregistered': phoneStatusChanged,
  'agent.softphones-unregistered': (sql, event) => updateAgent(sql, event, `phones = '{}'`),
  'agent.softphone-reachable': (sql, event) => updateAgent(sql, event, 'softphone_reachable = true'),
  'agent.softphone-unreachable': (sql, event) => updateAgent(sql, event, 'softphone_reachable = false'),
};

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
    return Object.hasOwn(APPLY, type);
  }

  async apply(sql: Sql, envelope: Envelope): Promise<void> {
    const event = envelope as DirectoryEnvelope;
    await (APPLY[event.type] as Applier<DirectoryEvent['type']> | undefined)?.(sql, event);
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('TRUNCATE agents, routable_agents, destinations, tenant_settings');
  }
}
