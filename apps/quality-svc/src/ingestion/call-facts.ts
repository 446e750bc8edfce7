import type { Sql } from '@softphone/event-store';
import { loadMeters } from '../call-quality/meter-table.js';
import type { CallFacts, Checkpoint } from './partition-meters.js';

/** The agents of these calls of the tenant, as call-svc told us (one statement); a call missing from the map is unknown. */
async function agentsOf(sql: Sql, tenantId: string, callIds: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await sql.prepared<{ call_id: string; agent_id: string | null }>(
    'quality_call_agents',
    `SELECT c.call_id, c.agent_id FROM calls c JOIN json_to_recordset($2::json) AS k(c text) ON c.tenant_id = $1 AND c.call_id = k.c`,
    [tenantId, JSON.stringify(callIds.map((c) => ({ c })))],
  );
  return new Map(rows.map((r) => [r.call_id, r.agent_id]));
}

/** What the tenant knows of these calls (call-svc's facts): unknown, or the call's meter (created at its first sample). */
export async function factsOf(sql: Sql, tenantId: string, callIds: readonly string[], nowMs: number): Promise<Map<string, CallFacts>> {
  const facts = new Map<string, CallFacts>();
  if (callIds.length === 0) return facts;
  const agents = await agentsOf(sql, tenantId, callIds);
  for (const id of callIds) if (!agents.has(id)) facts.set(id, { known: false });
  for (const m of await loadMeters(
    sql,
    [...agents.keys()].map((callId) => ({ tenantId, callId })),
  )) {
    const meter = {
      meterId: m.meterId,
      callId: m.callId,
      agentId: agents.get(m.callId) ?? null,
      state: m.state,
      version: m.version,
      lastSampleMs: nowMs,
    };
    facts.set(m.callId, { known: true, meter });
  }
  return facts;
}

/** The agents of a checkpoint's calls with events, or without an agent yet (one statement). */
export async function refreshAgents(sql: Sql, tenantId: string, c: Checkpoint): Promise<void> {
  const meters = new Set<{ callId: string; agentId: string | null }>(c.events.map((e) => e.meter));
  for (let i = 0; i < c.seconds.size; i++) if (c.seconds.owner(i).agentId === null) meters.add(c.seconds.owner(i));
  if (meters.size === 0) return;
  const agents = await agentsOf(
    sql,
    tenantId,
    [...meters].map((m) => m.callId),
  );
  for (const m of meters) m.agentId = agents.get(m.callId) ?? m.agentId;
}
