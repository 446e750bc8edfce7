import { Injectable } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { CANDIDATE_COLUMNS, INDEX_WRITE, indexParams, JUDGED_AGENTS, type CandidateRow } from '../routing/routable-agents.js';
import { agentLineDecider, isLineFree, type AgentLineState } from './agent-line.decider.js';

const LINE_EVENTS = new Set([
  'call.agent-line-reserved',
  'call.agent-line-released',
  'call.agent-wrap-up-started',
  'call.agent-wrap-up-ended',
  'call.agent-not-responding',
  'call.agent-made-available',
]);

/** The line's row (null columns: none yet) and the agent's directory facts (null agent_id: unknown yet). */
type LineAndAgentRow = Omit<CandidateRow, 'agent_id'> & { agent_id: string | null; state: AgentLineState | null };

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

  apply(sql: Sql, event: RecordedEvent): Promise<void> {
    return this.applyAll(sql, [event]);
  }

  /** Two statements for any number of agents: their lines and directory rows read together; lines and index rows written together. */
  async applyAll(sql: Sql, recorded: readonly RecordedEvent[]): Promise<void> {
    const byAgent = new Map<string, Array<Envelope<CallEvent>>>();
    for (const event of recorded as ReadonlyArray<Envelope<CallEvent>>) {
      const { agentId } = event.data as { agentId: string };
      byAgent.set(agentId, [...(byAgent.get(agentId) ?? []), event]);
    }
    const rows = await sql.prepared<LineAndAgentRow & { key_agent_id: string }>(
      'call_lines_and_agents',
      `SELECT k.agent_id AS key_agent_id, l.state, ${CANDIDATE_COLUMNS}
       FROM unnest($1::text[]) AS k(agent_id) LEFT JOIN agent_lines l ON l.agent_id = k.agent_id LEFT JOIN agents a ON a.agent_id = k.agent_id`,
      [[...byAgent.keys()]],
    );
    const lines = rows.map((row) => lineAfter(row, byAgent.get(row.key_agent_id)!));
    await sql.prepared(
      'call_lines_and_index',
      `WITH ${JUDGED_AGENTS},
       line AS (
         INSERT INTO agent_lines (agent_id, call_id, state, free, free_since)
         SELECT * FROM unnest($1::text[], $5::text[], $6::jsonb[], $7::boolean[], $8::timestamptz[])
         ON CONFLICT (agent_id) DO UPDATE SET call_id = EXCLUDED.call_id, state = EXCLUDED.state, free = EXCLUDED.free, free_since = EXCLUDED.free_since),
       ${INDEX_WRITE}`,
      [
        ...indexParams(lines.map(({ agentId, agent }) => ({ agentId, row: agent }))),
        lines.map((l) => l.state.callId),
        lines.map((l) => JSON.stringify(l.state)),
        lines.map((l) => l.free),
        lines.map((l) => l.freeSince),
      ],
    );
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agent_lines');
  }
}

/**
 * An agent's line after its events, from its row: free since the moment it became free, unchanged while it stays
 * free; and its directory row as the index judges it (undefined: the agent is unknown to the directory yet).
 */
function lineAfter(row: LineAndAgentRow & { key_agent_id: string }, events: ReadonlyArray<Envelope<CallEvent>>) {
  let state = row.state ?? agentLineDecider.initialState;
  let free = row.line_free ?? false;
  let freeSince = row.free_since && new Date(row.free_since).toISOString();
  for (const event of events) {
    state = agentLineDecider.evolve(state, event);
    freeSince = isLineFree(state) ? (free ? freeSince : event.occurredAt) : null;
    free = isLineFree(state);
  }
  const agent = row.agent_id === null ? undefined : { ...row, agent_id: row.agent_id, line_free: free, free_since: freeSince };
  return { agentId: row.key_agent_id, state, free, freeSince, agent };
}
