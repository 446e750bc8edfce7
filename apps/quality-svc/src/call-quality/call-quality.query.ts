import { Injectable } from '@nestjs/common';
import type { MediaKind, QualityLevel, QualitySide } from '@softphone/contracts';
import { NotFoundError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import type { SecondFlag, StreamSecond } from '../metering/call-meter.js';
import { levelOfSeverity } from '../metering/network-level.js';
import type { CallQualitySummary } from './call-quality.decider.js';
import { summarizeCall } from './call-summary.js';
import { streamsOf } from './stored-streams.js';

/** A measured second: its level (Table 1, the worst of its streams) and the metrics of that worst stream. */
export interface SecondView {
  at: string;
  level: QualityLevel;
  /** interpolated: no reading within 100 ms of its end; no-audio: no packet received; one-way: see the docs. */
  flags: SecondFlag[];
  kind: MediaKind;
  side: QualitySide;
  /** null: nothing was sent in that second (0/0 is not a rate). */
  lossRate: number | null;
  jitterMs: number;
  /** null before any RTT was known. */
  oneWayDelayMs: number | null;
  mos: number | null;
  /** null on the remote end's receive side (known only as its reports' loss fraction). */
  packetsReceived: number | null;
  packetsSent: number | null;
  /** Every stream of the second, rated: audio and video, the agent's receive direction and the remote end's. */
  streams: StreamSecond[];
}

export interface CallRef {
  callId: string;
  agentId: string | null;
  status: 'live' | 'ended';
  /** The published level (after hysteresis). */
  level: QualityLevel | null;
}

export interface LiveQuality extends CallRef {
  /**
   * The level shown for the call: `level`, after hysteresis (3 worse seconds
   * in a row to go down, 5 better to go up); the latest second's own level may
   * differ, and is `latestSecond.level`.
   */
  displayedLevel: QualityLevel | null;
  latestSecond: SecondView | null;
  /** The alert (M of the last N seconds Poor or worse) in force since that second, or null. */
  poorSince: string | null;
}

export interface QualityHistory extends CallRef {
  summary: CallQualitySummary;
  series: SecondView[];
  /** Pass as `from` for the next page; null when the window is exhausted. */
  next: string | null;
}

interface SecondRow {
  at: Date;
  level: number;
  flags: number;
  kind: MediaKind;
  side: QualitySide;
  loss_rate: number | null;
  jitter_ms: number;
  one_way_delay_ms: number | null;
  mos: number | null;
  packets_received: number | null;
  packets_sent: number | null;
  streams: StreamSecond[] | null;
}

const FLAGS: readonly SecondFlag[] = ['interpolated', 'no-audio', 'one-way'];

function toSecond(r: SecondRow): SecondView {
  const worst = {
    kind: r.kind,
    side: r.side,
    level: levelOfSeverity(r.level),
    lossRate: r.loss_rate,
    jitterMs: r.jitter_ms,
    oneWayDelayMs: r.one_way_delay_ms,
    mos: r.mos,
    packetsReceived: r.packets_received,
    packetsSent: r.packets_sent,
  };
  const flags = FLAGS.filter((_, bit) => r.flags & (1 << bit));
  return { at: r.at.toISOString(), flags, ...worst, streams: streamsOf(r.streams, { ...worst, oneWay: flags.includes('one-way') }) };
}

const SECOND_COLUMNS = `at, level, flags, kind, side, loss_rate, jitter_ms, one_way_delay_ms, mos,
  packets_received::float8 AS packets_received, packets_sent::float8 AS packets_sent, streams`;
const METER_OF_CALL = 'SELECT meter_id FROM call_meters WHERE tenant_id = $1 AND call_id = $2';

@Injectable()
export class CallQualityQuery {
  constructor(private readonly store: PostgresEventStore) {}

  /** The call as quality-svc knows it (from its samples or from call-svc); 404 when neither. */
  async call(tenantId: string, callId: string): Promise<CallRef> {
    const [row] = await this.store.sql.rows<{ agent_id: string | null; level: number | null; ended: boolean; known: boolean }>(
      `SELECT c.agent_id, m.level, coalesce(m.closed, false) OR c.ended_at IS NOT NULL AS ended,
              m.call_id IS NOT NULL OR c.call_id IS NOT NULL AS known
       FROM (SELECT $1::text AS tenant_id, $2::text AS call_id) k
       LEFT JOIN call_meters m ON m.tenant_id = k.tenant_id AND m.call_id = k.call_id
       LEFT JOIN calls c ON c.tenant_id = k.tenant_id AND c.call_id = k.call_id`,
      [tenantId, callId],
    );
    if (!row.known) throw new NotFoundError('call', callId);
    return {
      callId,
      agentId: row.agent_id,
      status: row.ended ? 'ended' : 'live',
      level: row.level === null ? null : levelOfSeverity(row.level),
    };
  }

  async live(call: CallRef, tenantId: string): Promise<LiveQuality> {
    const [latest] = await this.store.sql.rows<SecondRow>(
      `SELECT ${SECOND_COLUMNS} FROM quality_seconds WHERE meter_id = (${METER_OF_CALL}) ORDER BY at DESC LIMIT 1`,
      [tenantId, call.callId],
    );
    const [alert] = await this.store.sql.rows<{ poor_since: number | null }>(
      `SELECT (state->'alert'->>'poorSinceMs')::float8 AS poor_since FROM call_meters WHERE tenant_id = $1 AND call_id = $2`,
      [tenantId, call.callId],
    );
    return {
      ...call,
      displayedLevel: call.level,
      latestSecond: latest ? toSecond(latest) : null,
      poorSince: alert?.poor_since == null ? null : new Date(alert.poor_since).toISOString(),
    };
  }

  async history(call: CallRef, tenantId: string, window: { from?: string; to?: string; limit: number }): Promise<QualityHistory> {
    const rows = await this.store.sql.rows<SecondRow>(
      `SELECT ${SECOND_COLUMNS} FROM quality_seconds
       WHERE meter_id = (${METER_OF_CALL}) AND at >= coalesce($3::timestamptz, '-infinity') AND at < coalesce($4::timestamptz, 'infinity')
       ORDER BY at LIMIT $5`,
      [tenantId, call.callId, window.from ?? null, window.to ?? null, window.limit + 1],
    );
    const series = rows.slice(0, window.limit).map(toSecond);
    return {
      ...call,
      summary: await summarizeCall(this.store.sql, tenantId, call.callId),
      series,
      next: rows.length > window.limit ? rows[window.limit].at.toISOString() : null,
    };
  }
}
