import { Injectable } from '@nestjs/common';
import type { AgentEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';

/** agents_view: one row per agent, the live state board of the tenant. */
@Injectable()
export class AgentsProjection implements InlineProjection {
  readonly name = 'agents_view';

  handles(type: string): boolean {
    return type.startsWith('agent.');
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<AgentEvent>;
    const { agentId } = event.data;
    // Every change of state moves "since"; $1 is the time, $2 the agent.
    const set = (assignments: string, values: unknown[] = []) =>
      sql.execute(`UPDATE agents_view SET ${assignments}, state_since = $1 WHERE agent_id = $2`, [event.occurredAt, agentId, ...values]);
    const setPhones = (patch: string, values: unknown[]) => set(`phones = ${patch}`, values);
    switch (event.type) {
      case 'agent.created': {
        const { orgUnitId, name, workNumber, softphoneNumber, authMode } = event.data;
        await sql.execute(
          `INSERT INTO agents_view (agent_id, tenant_id, org_unit_id, name, work_number, softphone_number, auth_mode, state_since, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
          [agentId, event.tenantId, orgUnitId, name, workNumber, softphoneNumber, authMode, event.occurredAt],
        );
        return;
      }
      case 'agent.phone-bound':
        return void (await set('bound_phone = $3::jsonb', [JSON.stringify({ kind: event.data.kind, number: event.data.number })]));
      case 'agent.phone-unbound':
        return void (await set('bound_phone = NULL'));
      case 'agent.skill-queues-bound':
        return void (await set('skill_queue_ids = $3::jsonb, voice_related = $4', [
          JSON.stringify(event.data.skillQueueIds),
          event.data.voiceRelatedSkillQueueIds.length > 0,
        ]));
      case 'agent.auth-mode-changed':
        return void (await set('auth_mode = $3', [event.data.authMode]));
      case 'agent.signed-in':
        return void (await set('signed_in = true'));
      case 'agent.signed-out':
        return void (await set('signed_in = false'));
      case 'agent.softphone-registration-requested': {
        const patch = Object.fromEntries(event.data.phones.map((p) => [String(p.phoneId), 'registering']));
        return void (await setPhones('phones || $3::jsonb', [JSON.stringify(patch)]));
      }
      case 'agent.softphone-registered':
        return void (await setPhones(`jsonb_set(phones, ARRAY[$3], '"registered"')`, [String(event.data.phoneId)]));
      case 'agent.softphone-registration-failed':
        return void (await setPhones(`jsonb_set(phones, ARRAY[$3], '"failed"')`, [String(event.data.phoneId)]));
      case 'agent.softphone-deregistered':
        return void (await setPhones(`jsonb_set(phones, ARRAY[$3], '"unregistered"')`, [String(event.data.phoneId)]));
      case 'agent.softphones-unregistered':
        return void (await setPhones(`coalesce((SELECT jsonb_object_agg(key, 'unregistered') FROM jsonb_each(phones)), '{}')`, []));
      case 'agent.became-occupied':
        return void (await set(`availability = 'occupied', current_call_id = $3`, [event.data.callId]));
      case 'agent.became-idle':
        return void (await set(`availability = 'idle', current_call_id = NULL`));
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agents_view');
  }
}
