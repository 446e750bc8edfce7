import { Injectable } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import { queueKey } from '../routing/routing.policy.js';

const NO_MEDIA = { muted: false, screenShare: null };

/** The events of call streams (the agent lines' events are another projection's). */
const CALL_STREAM_EVENTS = new Set([
  'call.placed',
  'call.agent-answered',
  'call.arrived',
  'call.queued',
  'call.offered',
  'call.connected',
  'call.media-confirmed',
  'call.requeued',
  'call.media-changed',
  'call.ended',
]);

type Data<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>['data'];

/** The events a batch applies in one statement: its rows from `unnest` of one array per column. */
const BATCHED: Partial<Record<string, { sql: string; params: (data: unknown[]) => unknown[] }>> = {
  'call.connected': {
    sql: `UPDATE calls_view v SET status = 'talking', connected_at = c.at, answered_by = c.answered_by
          FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS c(call_id, at, answered_by) WHERE v.call_id = c.call_id`,
    params: (data) => {
      const connected = data as Array<Data<'call.connected'>>;
      return [connected.map((d) => d.callId), connected.map((d) => d.at), connected.map((d) => d.answeredBy)];
    },
  },
  'call.offered': {
    sql: `UPDATE calls_view v SET status = 'offered', agent_id = o.agent_id, phone_id = o.phone_id, offered_at = o.at,
                 auto_answer_due_at = o.due_at
          FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[]) AS o(call_id, agent_id, phone_id, at, due_at)
          WHERE v.call_id = o.call_id`,
    params: (data) => {
      const offered = data as Array<Data<'call.offered'>>;
      return [
        offered.map((d) => d.callId),
        offered.map((d) => d.agentId),
        offered.map((d) => d.phoneId),
        offered.map((d) => d.at),
        offered.map((d) => d.autoAnswerDueAt),
      ];
    },
  },
};

/** calls_view: one row per call, with its place in its queue (queue_key, from the routing policy) while it waits. */
@Injectable()
export class CallsProjection implements InlineProjection {
  readonly name = 'calls_view';

  handles(type: string): boolean {
    return CALL_STREAM_EVENTS.has(type);
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<CallEvent>;
    // One prepared statement per event type: its assignments never change.
    const set = (assignments: string, values: unknown[] = []) =>
      sql.prepared(`calls_view_${event.type}`, `UPDATE calls_view SET ${assignments} WHERE call_id = $1`, [
        (event.data as { callId: string }).callId,
        ...values,
      ]);
    switch (event.type) {
      case 'call.placed': {
        const d = event.data;
        await sql.execute(
          `INSERT INTO calls_view (call_id, tenant_id, direction, status, agent_id, phone_id, from_number, to_number, media, started_at)
           VALUES ($1, $2, 'outbound', 'ringing-agent', $3, $4, $5, $6, $7::jsonb, $8)`,
          [
            d.callId,
            event.tenantId,
            d.agentId,
            d.phoneId,
            d.from,
            d.to,
            JSON.stringify({ mode: d.media, cameraOn: d.media === 'video', ...NO_MEDIA }),
            d.at,
          ],
        );
        return;
      }
      case 'call.arrived': {
        const d = event.data;
        await sql.execute(
          `INSERT INTO calls_view (call_id, tenant_id, direction, status, from_number, to_number, media, started_at)
           VALUES ($1, $2, 'inbound', 'arrived', $3, $4, $5::jsonb, $6)`,
          [
            d.callId,
            event.tenantId,
            d.caller,
            d.dialed,
            JSON.stringify({ mode: d.media, cameraOn: d.media === 'video', ...NO_MEDIA }),
            d.at,
          ],
        );
        return;
      }
      case 'call.agent-answered':
        return void (await set(`status = 'ringing-customer'`));
      case 'call.queued':
        return void (await set(
          `status = 'queued', skill_queue_id = $2, via = $3, ivr_id = $4, announcement_ends_at = $5, queued_at = $6, queue_key = $7`,
          [
            event.data.skillQueueId,
            event.data.via,
            event.data.ivrId,
            event.data.announcementEndsAt,
            event.occurredAt,
            queueKey(event.occurredAt, event.data.callId, false),
          ],
        ));
      case 'call.requeued': {
        const [call] = await sql.rows<{ queued_at: Date }>('SELECT queued_at FROM calls_view WHERE call_id = $1', [event.data.callId]);
        return void (await set(
          `status = 'queued', agent_id = NULL, phone_id = NULL, offered_at = NULL, auto_answer_due_at = NULL, connected_at = NULL,
           answered_by = NULL, media_confirmed_at = NULL, requeued_at = $2, requeue_reason = $3, queue_key = $4`,
          [event.data.at, event.data.reason, queueKey(call.queued_at.toISOString(), event.data.callId, true)],
        ));
      }
      case 'call.media-confirmed':
        return void (await set('media_confirmed_at = $2', [event.data.at]));
      case 'call.offered':
        return void (await set(`status = 'offered', agent_id = $2, phone_id = $3, offered_at = $4, auto_answer_due_at = $5`, [
          event.data.agentId,
          event.data.phoneId,
          event.data.at,
          event.data.autoAnswerDueAt,
        ]));
      case 'call.connected':
        return void (await set(`status = 'talking', connected_at = $2, answered_by = $3`, [event.data.at, event.data.answeredBy]));
      case 'call.media-changed':
        return void (await set('media = $2::jsonb', [JSON.stringify(event.data.media)]));
      case 'call.ended':
        return void (await set(`status = 'ended', ended_at = $2, ended_by = $3, end_reason = $4, talk_seconds = $5, total_seconds = $6`, [
          event.occurredAt,
          event.data.endedBy,
          event.data.reason,
          event.data.talkSeconds,
          event.data.totalSeconds,
        ]));
    }
  }

  /**
   * Calls' events appended together: the auto-answers of a batch (all `call.connected`) or the offers of a dispatch
   * pass (all `call.offered`) in one statement, others in turn.
   */
  async applyAll(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const [first] = events;
    const batched = first && BATCHED[first.type];
    if (!batched || !events.every((event) => event.type === first.type)) {
      for (const event of events) await this.apply(sql, event);
      return;
    }
    await sql.prepared(`calls_view_all_${first.type}`, batched.sql, batched.params(events.map((event) => event.data)));
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM calls_view');
  }
}
