import { Injectable } from '@nestjs/common';
import type { MediaState } from '@softphone/contracts';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';

export interface CallView {
  callId: string;
  tenantId: string;
  direction: 'inbound' | 'outbound';
  status: string;
  agentId: string | null;
  phoneId: number | null;
  from: string;
  to: string;
  skillQueueId: string | null;
  via: 'access-code' | 'ivr' | null;
  media: MediaState;
  startedAt: string;
  queuedAt: string | null;
  offeredAt: string | null;
  autoAnswerDueAt: string | null;
  connectedAt: string | null;
  answeredBy: 'auto-answer' | 'customer' | null;
  /** When the agent's softphone confirmed media on an auto-answered call (the auto-answer guard). */
  mediaConfirmedAt: string | null;
  /** When (and why) the call last went back to its queue. */
  requeuedAt: string | null;
  requeueReason: 'agent-unavailable' | 'agent-not-responding' | null;
  endedAt: string | null;
  endedBy: 'agent' | 'customer' | 'system' | null;
  endReason: string | null;
  talkSeconds: number | null;
  totalSeconds: number | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A row of the `calls` read model, as pg returns it (numeric durations come back as strings). */
interface CallRow {
  call_id: string;
  tenant_id: string;
  direction: CallView['direction'];
  status: string;
  agent_id: string | null;
  phone_id: number | null;
  from_number: string;
  to_number: string;
  skill_queue_id: string | null;
  via: CallView['via'];
  media: MediaState;
  started_at: Date;
  queued_at: Date | null;
  offered_at: Date | null;
  auto_answer_due_at: Date | null;
  connected_at: Date | null;
  answered_by: CallView['answeredBy'];
  media_confirmed_at: Date | null;
  requeued_at: Date | null;
  requeue_reason: CallView['requeueReason'];
  ended_at: Date | null;
  ended_by: CallView['endedBy'];
  end_reason: string | null;
  talk_seconds: string | number | null;
  total_seconds: string | number | null;
}

const toView = (r: CallRow): CallView => ({
  callId: r.call_id,
  tenantId: r.tenant_id,
  direction: r.direction,
  status: r.status,
  agentId: r.agent_id,
  phoneId: r.phone_id,
  from: r.from_number,
  to: r.to_number,
  skillQueueId: r.skill_queue_id,
  via: r.via,
  media: r.media,
  startedAt: r.started_at.toISOString(),
  queuedAt: iso(r.queued_at),
  offeredAt: iso(r.offered_at),
  autoAnswerDueAt: iso(r.auto_answer_due_at),
  connectedAt: iso(r.connected_at),
  answeredBy: r.answered_by,
  mediaConfirmedAt: iso(r.media_confirmed_at),
  requeuedAt: iso(r.requeued_at),
  requeueReason: r.requeue_reason,
  endedAt: iso(r.ended_at),
  endedBy: r.ended_by,
  endReason: r.end_reason,
  talkSeconds: r.talk_seconds === null ? null : Number(r.talk_seconds),
  totalSeconds: r.total_seconds === null ? null : Number(r.total_seconds),
});

@Injectable()
export class CallsQuery {
  constructor(private readonly store: PostgresEventStore) {}

  /** One call of the tenant (another tenant's call is not found). */
  async get(tenantId: string, callId: string, sql: Sql = this.store.sql): Promise<CallView> {
    const [row] = await sql.prepared<CallRow>('call_view_get', 'SELECT * FROM calls_view WHERE call_id = $1 AND tenant_id = $2', [
      callId,
      tenantId,
    ]);
    if (!row) throw new NotFoundError('call', callId);
    return toView(row);
  }

  /** A tenant's calls, newest first, optionally of one status or agent. */
  async list(tenantId: string, filter: { status?: string; agentId?: string; limit: number }): Promise<CallView[]> {
    const rows = await this.store.sql.rows<CallRow>(
      `SELECT * FROM calls_view WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR agent_id = $3)
       ORDER BY started_at DESC, call_id LIMIT $4`,
      [tenantId, filter.status ?? null, filter.agentId ?? null, filter.limit],
    );
    return rows.map(toView);
  }
}
