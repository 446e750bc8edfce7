import { CALL_HANDLING_DEFAULTS, type CallHandlingParameters } from '@softphone/contracts';
import type { Sql } from '@softphone/event-store';
import type { InboundRoute } from '../calls/call.decider.js';

/** What a dialed number reaches in the tenant, as far as call-svc knows: a skill queue, an IVR (then its queue), an agent's softphone, or nothing yet. */
export async function destinationOf(sql: Sql, tenantId: string, dialed: string): Promise<InboundRoute> {
  const [destination] = await sql.prepared<{
    kind: 'queue' | 'ivr';
    skill_queue_id: string;
    ivr_id: string | null;
    announcement_seconds: string | null;
    voice_related: boolean;
  }>(
    'call_destination_of',
    'SELECT kind, skill_queue_id, ivr_id, announcement_seconds, voice_related FROM destinations WHERE tenant_id = $1 AND access_code = $2',
    [tenantId, dialed],
  );
  if (destination?.kind === 'queue')
    return { kind: 'queue', skillQueueId: destination.skill_queue_id, voiceRelated: destination.voice_related };
  if (destination?.kind === 'ivr') {
    return {
      kind: 'ivr',
      ivrId: destination.ivr_id!,
      skillQueueId: destination.skill_queue_id,
      announcementSeconds: Number(destination.announcement_seconds),
    };
  }
  const [phone] = await sql.rows('SELECT 1 FROM agents WHERE tenant_id = $1 AND softphone_number = $2 LIMIT 1', [tenantId, dialed]);
  return phone ? { kind: 'agent-phone' } : { kind: 'unknown' };
}

/** The tenant's call-handling parameters (the defaults until tenant-svc announces others). */
export async function callHandlingOf(sql: Sql, tenantId: string): Promise<CallHandlingParameters> {
  const [row] = await sql.prepared<{ auto_answer_guard_seconds: number; ring_timeout_seconds: number; wrap_up_seconds: number }>(
    'call_handling_of',
    'SELECT auto_answer_guard_seconds, ring_timeout_seconds, wrap_up_seconds FROM tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return row
    ? {
        autoAnswerGuardSeconds: row.auto_answer_guard_seconds,
        ringTimeoutSeconds: row.ring_timeout_seconds,
        wrapUpSeconds: row.wrap_up_seconds,
      }
    : { ...CALL_HANDLING_DEFAULTS };
}
