import { Injectable } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { CANDIDATE_COLUMNS, INDEX_WRITE, indexParams, type CandidateRow } from '../routing/routable-agents.js';
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

  /** Two statements: the line and the agent's directory row read together; the line and the agent's index rows written together. */
  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<CallEvent>;
    const { agentId } = event.data as { agentId: string };
    const [row] = await sql.prepared<LineAndAgentRow>(
      'call_line_and_agent',
      `SELECT l.state, ${CANDIDATE_COLUMNS}
       FROM (SELECT $1::text AS agent_id) k LEFT JOIN agent_lines l ON l.agent_id = k.agent_id LEFT JOIN agents a ON a.agent_id = k.agent_id`,
      [agentId],
    );
    const state = agentLineDecider.evolve(row.state ?? agentLineDecider.initialState, event);
    const free = isLineFree(state);
    // Free since the moment it became free; unchanged while it stays free.
    const freeSince = free ? (row.line_free ? row.free_since && new Date(row.free_since).toISOString() : event.occurredAt) : null;
    const agent = row.agent_id === null ? undefined : { ...row, agent_id: row.agent_id, line_free: free, free_since: freeSince };
    await sql.prepared(
      'call_line_and_index',
      `WITH line AS (
         INSERT INTO agent_lines (agent_id, call_id, state, free, free_since) VALUES ($1, $6, $7::jsonb, $8, $9)
         ON CONFLICT (agent_id) DO UPDATE SET call_id = EXCLUDED.call_id, state = EXCLUDED.state, free = EXCLUDED.free, free_since = EXCLUDED.free_since),
       ${INDEX_WRITE}`,
      [...indexParams(agentId, agent), state.callId, JSON.stringify(state), free, freeSince],
    );
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agent_lines');
  }
}
