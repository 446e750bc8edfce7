import type { Sql } from '@softphone/event-store';

export interface NoticeTarget {
  tenantId: string;
  callId: string;
  agentId: string | null;
  /** The agent's org unit; null while the agent is unknown here. */
  orgUnitId: string | null;
  /** The tenant parameter "send internal messages when the WebRTC network is abnormal" (No until tenant-svc says Yes). */
  notify: boolean;
  /** The manager of the agent's org unit, or of its nearest ancestor that has one. */
  managerId: string | null;
}

/** Longest chain of parent org units followed to find a manager (a guard against a cycle in the data). */
const MAX_ORG_DEPTH = 32;

const TARGETS_SQL = `
WITH RECURSIVE target AS (
  SELECT k.tenant_id, k.call_id, c.agent_id, a.org_unit_id, coalesce(p.notify_ou_managers_on_poor_network, false) AS notify
  FROM unnest($1::text[], $2::text[]) AS k(tenant_id, call_id)
  LEFT JOIN calls c ON c.tenant_id = k.tenant_id AND c.call_id = k.call_id
  LEFT JOIN agents a ON a.tenant_id = k.tenant_id AND a.agent_id = c.agent_id
  LEFT JOIN tenant_parameters p ON p.tenant_id = k.tenant_id
), chain AS (
  SELECT t.tenant_id, t.call_id, o.parent_org_unit_id, o.manager_id, 0 AS depth
  FROM target t JOIN org_units o ON o.tenant_id = t.tenant_id AND o.org_unit_id = t.org_unit_id
  UNION ALL
  SELECT ch.tenant_id, ch.call_id, o.parent_org_unit_id, o.manager_id, ch.depth + 1
  FROM chain ch JOIN org_units o ON o.tenant_id = ch.tenant_id AND o.org_unit_id = ch.parent_org_unit_id
  WHERE ch.manager_id IS NULL AND ch.depth < ${MAX_ORG_DEPTH}
)
SELECT t.tenant_id, t.call_id, t.agent_id, t.org_unit_id, t.notify,
       (SELECT manager_id FROM chain ch WHERE ch.tenant_id = t.tenant_id AND ch.call_id = t.call_id AND ch.manager_id IS NOT NULL
        ORDER BY depth LIMIT 1) AS manager_id
FROM target t`;

/** Whom to tell about each call, from the read models of tenant-svc, agent-svc and call-svc events. */
export async function noticeTargets(sql: Sql, calls: ReadonlyArray<{ tenantId: string; callId: string }>): Promise<NoticeTarget[]> {
  const rows = await sql.rows<{
    tenant_id: string;
    call_id: string;
    agent_id: string | null;
    org_unit_id: string | null;
    notify: boolean;
    manager_id: string | null;
  }>(TARGETS_SQL, [calls.map((c) => c.tenantId), calls.map((c) => c.callId)]);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    callId: r.call_id,
    agentId: r.agent_id,
    orgUnitId: r.org_unit_id,
    notify: r.notify,
    managerId: r.manager_id,
  }));
}
