import type { Sql } from '@softphone/event-store';
import { CANDIDATE_COLUMNS, toCandidate, type CandidateRow } from './routable-agents.js';
import type { RoutingCandidate } from './routing.policy.js';

/** What a dispatch pass holds once it took its queue: the waiting calls oldest first, and the agents first in line. */
export interface QueueTaken {
  callIds: string[];
  agents: RoutingCandidate[];
}

/**
 * The start of a dispatch pass, in one statement (one round trip): the queue's advisory transaction lock (not
 * taken: undefined, another transaction dispatches the queue now); the queue's dispatch requests this snapshot
 * sees, deleted; up to `batch` waiting calls by `queue_key` (first come, first served; given back at the head);
 * and the routable agents first in line in the index (free longest first), as many as calls plus `spare`, each
 * locked (`FOR UPDATE OF agents SKIP LOCKED`): one another queue's dispatcher or a directory change holds is
 * passed over, and one changed since this snapshot fails the pass (a serialization failure: the pass runs again).
 */
export async function takeQueue(
  sql: Sql,
  tenantId: string,
  skillQueueId: string,
  batch: number,
  spare: number,
): Promise<QueueTaken | undefined> {
  const [row] = await sql.prepared<{ held: boolean; call_ids: string[]; agents: CandidateRow[] }>(
    'call_take_queue',
    `WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended('call-dispatch|' || $1 || '|' || $2, 0)) AS held),
          taken AS (DELETE FROM dispatch_requests WHERE tenant_id = $1 AND skill_queue_id = $2 AND (SELECT held FROM lock)),
          waiting AS (
            SELECT call_id, queue_key FROM calls_view
            WHERE (SELECT held FROM lock) AND tenant_id = $1 AND skill_queue_id = $2 AND status = 'queued'
            ORDER BY queue_key LIMIT $3),
          head AS (
            SELECT ${CANDIDATE_COLUMNS}
            FROM routable_agents r JOIN agents a ON a.agent_id = r.agent_id LEFT JOIN agent_lines l ON l.agent_id = r.agent_id
            WHERE (SELECT held FROM lock) AND r.tenant_id = $1 AND r.skill_queue_id = $2
            ORDER BY r.free_since ASC NULLS FIRST, r.agent_id
            LIMIT (SELECT CASE count(*) WHEN 0 THEN 0 ELSE count(*) + $4 END FROM waiting)
            FOR UPDATE OF a SKIP LOCKED)
     SELECT (SELECT held FROM lock) AS held,
            (SELECT coalesce(array_agg(call_id ORDER BY queue_key), '{}') FROM waiting) AS call_ids,
            (SELECT coalesce(json_agg(head), '[]') FROM head) AS agents`,
    [tenantId, skillQueueId, batch, spare],
  );
  if (!row.held) return undefined;
  return { callIds: row.call_ids, agents: row.agents.map(toCandidate) };
}
