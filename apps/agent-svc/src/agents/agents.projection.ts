import { Injectable } from '@nestjs/common';
import type { AgentEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { AGENT_ROW_RETURNING, agentViewOf, type AgentRow, type AgentView } from './agents.query.js';

/** Who wants some agents' rows as transactions write them (not committed yet): AgentChanges, for the reads waiting on them. */
export interface AgentRowWatcher {
  wants(agentId: string): boolean;
  /** The row a transaction wrote for the agent; undefined when it wrote it without returning it (nobody wanted it then). */
  wrote(agentId: string, row: AgentView | undefined): void;
}

/** agents_view: one row per agent, the live state board of the tenant. */
@Injectable()
export class AgentsProjection implements InlineProjection {
  readonly name = 'agents_view';
  private watcher?: AgentRowWatcher;

  /** The watcher told of every row an event writes (one at a time; undefined: none). */
  watch(watcher: AgentRowWatcher | undefined): void {
    this.watcher = watcher;
  }

  handles(type: string): boolean {
    return type.startsWith('agent.');
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<AgentEvent>;
    const { agentId } = event.data;
    // Every change of state moves "since" and the row's version (the agent stream's); $1 is the time, $2 the agent, the version last.
    // The row comes back only when someone waits for it (the watcher hands it to them once committed).
    const set = async (assignments: string, values: unknown[] = []) => {
      const update = `UPDATE agents_view a SET ${assignments}, state_since = $1, version = $${values.length + 3} WHERE a.agent_id = $2`;
      const params = [event.occurredAt, agentId, ...values, event.streamVersion];
      const watcher = this.watcher;
      if (!watcher?.wants(agentId)) {
        await sql.execute(update, params);
        return watcher?.wrote(agentId, undefined);
      }
      const [row] = await sql.rows<AgentRow>(`${update} ${AGENT_ROW_RETURNING}`, params);
      watcher.wrote(agentId, row && agentViewOf(row));
    };
    const setPhones = (patch: string, values: unknown[]) => set(`phones = ${patch}`, values);
    switch (event.type) {
      case 'agent.created': {
        const { orgUnitId, name, workNumber, softphoneNumber, authMode } = event.data;
        await sql.execute(
          `INSERT INTO agents_view (agent_id, tenant_id, org_unit_id, name, work_number, softphone_number, auth_mode, state_since, created_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
          [agentId, event.tenantId, orgUnitId, name, workNumber, softphoneNumber, authMode, event.occurredAt, event.streamVersion],
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
        return void (await set('signed_in = false, softphone_reachable = true, last_heartbeat_at = NULL'));
      case 'agent.softphone-registration-requested': {
        const ids = event.data.phones.map((p) => String(p.phoneId));
        const patch = Object.fromEntries(ids.map((id) => [id, 'registering']));
        return void (await setPhones('phones || $3::jsonb, phone_failures = phone_failures - $4::text[]', [JSON.stringify(patch), ids]));
      }
      case 'agent.softphone-registered':
        return void (await setPhones(`jsonb_set(phones, ARRAY[$3], '"registered"')`, [String(event.data.phoneId)]));
      case 'agent.softphone-registration-failed':
      case 'agent.softphone-deregistered':
        // A failure state with its reason: a deregistration after success shows the failure indicator too.
        return void (await setPhones(
          `jsonb_set(phones, ARRAY[$3], $4::jsonb), phone_failures = jsonb_set(phone_failures, ARRAY[$3], $5::jsonb)`,
          [
            String(event.data.phoneId),
            JSON.stringify(event.type === 'agent.softphone-deregistered' ? 'deregistered' : 'failed'),
            JSON.stringify(event.data.reason),
          ],
        ));
      case 'agent.softphones-unregistered':
        return void (await setPhones(
          `coalesce((SELECT jsonb_object_agg(key, 'unregistered') FROM jsonb_each(phones)), '{}'), phone_failures = '{}'`,
          [],
        ));
      case 'agent.became-ringing':
        return void (await set(`call_phase = 'ringing', current_call_id = $3`, [event.data.callId]));
      case 'agent.became-occupied':
        return void (await set(`call_phase = 'talking', current_call_id = $3`, [event.data.callId]));
      case 'agent.became-idle':
        return void (await set('call_phase = NULL, current_call_id = NULL'));
      case 'agent.wrap-up-started':
        return void (await set('wrap_up = $3::jsonb', [JSON.stringify({ callId: event.data.callId, until: event.data.until })]));
      case 'agent.wrap-up-ended':
        return void (await set('wrap_up = NULL'));
      case 'agent.became-not-responding':
        return void (await set('not_responding = $3::jsonb', [JSON.stringify({ callId: event.data.callId, reason: event.data.reason })]));
      case 'agent.made-available':
        return void (await set('not_responding = NULL'));
      case 'agent.softphone-reachable':
        return void (await set('softphone_reachable = true, last_heartbeat_at = $3', [event.data.heartbeatAt]));
      case 'agent.softphone-unreachable':
        return void (await set('softphone_reachable = false'));
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agents_view');
  }
}
