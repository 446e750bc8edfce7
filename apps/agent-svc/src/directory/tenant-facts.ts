import { VOICE_RELATED_MEDIA_TYPES } from '@softphone/contracts';
import type { Sql } from '@softphone/event-store';
import { DomainError } from '@softphone/errors';
import type { TenantFacts } from '../agents/agent.decider.js';

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

/** The voice-related ones among skill queue ids; 422 SKILL_QUEUE_NOT_FOUND for an id tenant-svc never announced. */
export async function voiceRelatedQueues(sql: Sql, tenantId: string, skillQueueIds: string[]): Promise<string[]> {
  const rows = await sql.rows<{ skill_queue_id: string; media_type: string }>(
    'SELECT skill_queue_id, media_type FROM skill_queues WHERE tenant_id = $1 AND skill_queue_id = ANY($2)',
    [tenantId, skillQueueIds],
  );
  const known = new Map(rows.map((r) => [r.skill_queue_id, r.media_type]));
  const unknown = skillQueueIds.find((id) => !known.has(id));
  if (unknown)
    throw new DomainError('SKILL_QUEUE_NOT_FOUND', `skill queue ${unknown} does not exist in the tenant`, {
      status: 422,
      field: 'skillQueueIds',
    });
  return skillQueueIds.filter((id) => (VOICE_RELATED_MEDIA_TYPES as readonly string[]).includes(known.get(id)!));
}
