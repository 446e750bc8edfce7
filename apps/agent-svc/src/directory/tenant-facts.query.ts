import type { SkillQueueMediaType } from '@softphone/contracts';
import type { Sql } from '@softphone/event-store';
import type { TenantFacts } from '../registration/registration.policy.js';

/** What agent-svc knows of a tenant from tenant-svc's events (defaults: a normal tenant without WebRTC). */
export async function tenantFacts(sql: Sql, tenantId: string): Promise<TenantFacts> {
  const [row] = await sql.rows<{
    status: 'normal' | 'suspended';
    webrtc_enabled: boolean;
    gateways: TenantFacts['gateways'];
    pool_mode: boolean;
    softphone_unified_authentication: boolean;
  }>('SELECT * FROM tenant_facts WHERE tenant_id = $1', [tenantId]);
  return {
    status: row?.status ?? 'normal',
    webRtcEnabled: row?.webrtc_enabled ?? false,
    gateways: row?.gateways ?? [],
    poolMode: row?.pool_mode ?? false,
    softphoneUnifiedAuthentication: row?.softphone_unified_authentication ?? false,
  };
}

/** The media type of each of these queues agent-svc knows in the tenant (unknown ids are absent). */
export async function skillQueueMediaTypes(
  sql: Sql,
  tenantId: string,
  skillQueueIds: string[],
): Promise<Record<string, SkillQueueMediaType>> {
  const rows = await sql.rows<{ skill_queue_id: string; media_type: SkillQueueMediaType }>(
    'SELECT skill_queue_id, media_type FROM skill_queues WHERE tenant_id = $1 AND skill_queue_id = ANY($2)',
    [tenantId, skillQueueIds],
  );
  return Object.fromEntries(rows.map((r) => [r.skill_queue_id, r.media_type]));
}

export async function orgUnitExists(sql: Sql, tenantId: string, orgUnitId: string): Promise<boolean> {
  return (await sql.rows('SELECT 1 FROM org_units WHERE tenant_id = $1 AND org_unit_id = $2', [tenantId, orgUnitId])).length > 0;
}

/**
 * Waits (bounded) until agent-svc holds a fact tenant-svc has announced: an org
 * unit or a skill queue created a moment ago may not have been consumed yet,
 * and a user must not see that as "not found". Polls outside any transaction;
 * the command then reads the fact again in its own.
 */
export async function awaitUpstreamFact(probe: () => Promise<boolean>, waitMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await probe()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
