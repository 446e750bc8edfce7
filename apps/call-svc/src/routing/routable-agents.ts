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
 * The index rows of one agent as the routing policy judged it, as the common table expressions and final insert
 * of one statement ($1 agent, $2 tenant, $3 the queues as JSON, $4 as an array, $5 the line's free-since;
 * `indexParams`): its `agents.routable_queue_ids` rewritten, its rows of other queues deleted, one per queue.
 * A caller may put common table expressions of its own before it, with parameters from $6.
 */
export const INDEX_WRITE = `judged AS (UPDATE agents SET routable_queue_ids = $3::jsonb WHERE agent_id = $1),
     gone AS (DELETE FROM routable_agents WHERE agent_id = $1 AND skill_queue_id <> ALL ($4::text[]))
     INSERT INTO routable_agents (tenant_id, skill_queue_id, agent_id, free_since)
     SELECT $2, queue, $1, $5 FROM unnest($4::text[]) AS queue
     ON CONFLICT (agent_id, skill_queue_id) DO UPDATE SET free_since = EXCLUDED.free_since`;

/** The parameters of INDEX_WRITE for the agent (unknown to the directory: no queue). */
export function indexParams(agentId: string, row: CandidateRow | undefined): unknown[] {
  const agent = row && toCandidate(row);
  const queues = agent ? routableQueues(agent) : [];
  return [agentId, row?.tenant_id ?? null, JSON.stringify(queues), queues, agent?.freeSince ?? null];
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
  await sql.prepared('call_reindex_agent', `WITH ${INDEX_WRITE}`, indexParams(agentId, row));
}
