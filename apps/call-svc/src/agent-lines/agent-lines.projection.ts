import { Injectable } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { reindexAgent } from '../routing/routable-agents.js';
import { agentLineDecider, isLineFree, type AgentLineState } from './agent-line.decider.js';

const LINE_EVENTS = new Set([
  'call.agent-line-reserved',
  'call.agent-line-released',
  'call.agent-wrap-up-started',
  'call.agent-wrap-up-ended',
  'call.agent-not-responding',
  'call.agent-made-available',
]);

/**
 * agent_lines: each agent's line as the agent-line decider folds it, whether it
 * is free, and since when (the agent idle longest is offered first); and the
 * agent's place in the index of routable agents, which its line decides too.
 */
@Injectable()
export class AgentLinesProjection implements InlineProjection {
  readonly name = 'agent_lines';

  handles(type: string): boolean {
    return LINE_EVENTS.has(type);
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<CallEvent>;
    const { agentId } = event.data as { agentId: string };
    const [row] = await sql.rows<{ state: AgentLineState; free: boolean; free_since: Date | null }>(
      'SELECT state, free, free_since FROM agent_lines WHERE agent_id = $1',
      [agentId],
    );
    const state = agentLineDecider.evolve(row?.state ?? agentLineDecider.initialState, event);
    const free = isLineFree(state);
    // Free since the moment it became free; unchanged while it stays free.
    const freeSince = free ? (row?.free ? (row.free_since?.toISOString() ?? null) : event.occurredAt) : null;
    await sql.execute(
      `INSERT INTO agent_lines (agent_id, call_id, state, free, free_since) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (agent_id) DO UPDATE SET call_id = EXCLUDED.call_id, state = EXCLUDED.state, free = EXCLUDED.free, free_since = EXCLUDED.free_since`,
      [agentId, state.callId, JSON.stringify(state), free, freeSince],
    );
    await reindexAgent(sql, agentId);
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agent_lines');
  }
}
