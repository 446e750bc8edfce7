import type { Sql } from '@softphone/event-store';
import type { RecipientFacts } from './message-recipient.policy.js';

/** Longest chain of parent org units followed (a guard against a cycle in the data). */
const MAX_ORG_DEPTH = 32;

const FACTS_SQL = `
WITH RECURSIVE target AS (
  SELECT coalesce(c.agent_id, $3) AS agent_id FROM (SELECT 1) one
  LEFT JOIN calls c ON c.tenant_id = $1 AND c.call_id = $2
), chain AS (
  SELECT o.org_unit_id, o.parent_org_unit_id, o.manager_id, 0 AS depth
  FROM target t JOIN agents a ON a.tenant_id = $1 AND a.agent_id = t.agent_id
  JOIN org_units o ON o.tenant_id = $1 AND o.org_unit_id = a.org_unit_id
  UNION ALL
  SELECT o.org_unit_id, o.parent_org_unit_id, o.manager_id, ch.depth + 1
  FROM chain ch JOIN org_units o ON o.tenant_id = $1 AND o.org_unit_id = ch.parent_org_unit_id
  WHERE ch.depth < ${MAX_ORG_DEPTH}
)
SELECT t.agent_id, a.org_unit_id, coalesce(p.notify_ou_managers_on_poor_network, false) AS notify,
       coalesce((SELECT json_agg(json_build_object('orgUnitId', org_unit_id, 'managerId', manager_id) ORDER BY depth) FROM chain), '[]') AS chain
FROM target t
LEFT JOIN agents a ON a.tenant_id = $1 AND a.agent_id = t.agent_id
LEFT JOIN tenant_parameters p ON p.tenant_id = $1`;

/** Whom a call's alert may go to, from the read models of tenant-svc, agent-svc and call-svc events. */
export async function recipientFacts(sql: Sql, tenantId: string, callId: string, agentId: string | null): Promise<RecipientFacts> {
  const [row] = await sql.rows<{ agent_id: string | null; org_unit_id: string | null; notify: boolean; chain: RecipientFacts['chain'] }>(
    FACTS_SQL,
    [tenantId, callId, agentId],
  );
  return { agentId: row.agent_id, orgUnitId: row.org_unit_id, notify: row.notify, chain: row.chain };
}
