import type { Sql } from '@softphone/event-store';
import { routableQueues, type PhoneStatus, type RoutingCandidate } from './routing.policy.js';

export interface CandidateRow {
  agent_id: string;
  tenant_id: string;
  signed_in: boolean;
  phones: Partial<Record<string, PhoneStatus>>;
  softphone_reachable: boolean;
  skill_queue_ids: string[];
  line_free: boolean | null;
  /** A Date from a row, an ISO string from JSON. */
  free_since: Date | string | null;
}

/** An agent's facts as the routing policy takes them: the directory's row and its line (none yet: free). */
export const CANDIDATE_COLUMNS =
  'a.agent_id, a.tenant_id, a.signed_in, a.phones, a.softphone_reachable, a.skill_queue_ids, l.free AS line_free, l.free_since';
const CANDIDATE = `SELECT ${CANDIDATE_COLUMNS} FROM agents a LEFT JOIN agent_lines l ON l.agent_id = a.agent_id`;

export const toCandidate = (r: CandidateRow): RoutingCandidate => ({
  agentId: r.agent_id,
  signedIn: r.signed_in,
  phones: r.phones,
  reachable: r.softphone_reachable,
  skillQueueIds: r.skill_queue_ids,
  lineFree: r.line_free ?? true,
  freeSince: r.free_since === null ? null : new Date(r.free_since).toISOString(),
});

/**
 * The index rows of agents as the routing policy judged them, as the common table expressions and final insert of
 * one statement, from a common table expression `judged_agents (agent_id, tenant_id, queues, free_since)` the caller
 * puts before them (JUDGED_AGENTS, say): each agent's `agents.routable_queue_ids` rewritten, its rows of other queues
 * deleted, one row per queue (the line's free-since).
 */
export const INDEX_WRITE = `judged AS (UPDATE agents a SET routable_queue_ids = j.queues FROM judged_agents j WHERE a.agent_id = j.agent_id),
     gone AS (DELETE FROM routable_agents r USING judged_agents j
              WHERE r.agent_id = j.agent_id AND r.skill_queue_id <> ALL (ARRAY(SELECT jsonb_array_elements_text(j.queues))))
     INSERT INTO routable_agents (tenant_id, skill_queue_id, agent_id, free_since)
     SELECT j.tenant_id, queue, j.agent_id, j.free_since FROM judged_agents j, jsonb_array_elements_text(j.queues) AS queue
     ON CONFLICT (agent_id, skill_queue_id) DO UPDATE SET free_since = EXCLUDED.free_since`;

/** `judged_agents` from the four arrays of `indexParams` ($1–$4): a caller adds parameters of its own from $5. */
export const JUDGED_AGENTS = `judged_agents AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) AS j(agent_id, tenant_id, queues, free_since))`;

/** The parameters of JUDGED_AGENTS for the agents (one unknown to the directory, no row: no queue). */
export function indexParams(agents: ReadonlyArray<{ agentId: string; row: CandidateRow | undefined }>): unknown[] {
  const judged = agents.map(({ agentId, row }) => {
    const agent = row && toCandidate(row);
    return { agentId, tenantId: row?.tenant_id ?? null, queues: agent ? routableQueues(agent) : [], freeSince: agent?.freeSince ?? null };
  });
  return [
    judged.map((j) => j.agentId),
    judged.map((j) => j.tenantId),
    judged.map((j) => JSON.stringify(j.queues)),
    judged.map((j) => j.freeSince),
  ];
}

/**
 * Judges the agent again (the routing policy's `routableQueues`) after its directory row or its line changed,
 * and makes its rows of `routable_agents` (one per queue it can take a call of, with its line's free-since)
 * say so. Both projections do it in their transaction; each rewrites the agent's row of `agents`
 * (`routable_queue_ids`), so of two concurrent transactions changing one agent (its line and its sign-in,
 * say) the later one fails and re-runs under REPEATABLE READ, and judges on both changes.
 */
export async function reindexAgent(sql: Sql, agentId: string): Promise<void> {
  const [row] = await sql.prepared<CandidateRow>('call_agent_candidate', `${CANDIDATE} WHERE a.agent_id = $1`, [agentId]);
  if (!row) return;
  await sql.prepared('call_reindex_agent', `WITH ${JUDGED_AGENTS}, ${INDEX_WRITE}`, indexParams([{ agentId, row }]));
}
