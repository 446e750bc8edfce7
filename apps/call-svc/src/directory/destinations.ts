import type { Sql } from '@softphone/event-store';
import type { InboundRoute } from '../calls/call.decider.js';

/** What a dialed number reaches in the tenant: a skill queue, an IVR (then its queue), an agent's softphone, or nothing. */
export async function resolveDestination(sql: Sql, tenantId: string, dialed: string, now: Date): Promise<InboundRoute> {
  const [destination] = await sql.rows<{
    kind: 'queue' | 'ivr';
    skill_queue_id: string;
    ivr_id: string | null;
    announcement_seconds: string | null;
  }>('SELECT kind, skill_queue_id, ivr_id, announcement_seconds FROM destinations WHERE tenant_id = $1 AND access_code = $2', [
    tenantId,
    dialed,
  ]);
  if (destination?.kind === 'queue') return { kind: 'queue', skillQueueId: destination.skill_queue_id };
  if (destination?.kind === 'ivr') {
    const announcementEndsAt = new Date(now.getTime() + Number(destination.announcement_seconds) * 1000).toISOString();
    return { kind: 'ivr', ivrId: destination.ivr_id!, skillQueueId: destination.skill_queue_id, announcementEndsAt };
  }
  const [phone] = await sql.rows('SELECT 1 FROM agents WHERE tenant_id = $1 AND softphone_number = $2 LIMIT 1', [tenantId, dialed]);
  return phone ? { kind: 'agent-phone' } : { kind: 'unknown' };
}
