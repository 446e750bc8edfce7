import { Injectable } from '@nestjs/common';
import type { QualityLevel } from '@softphone/contracts';
import { NotFoundError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import { levelOfSeverity } from '../metering/network-level.js';
import type { CallQualitySummary } from './call-quality.decider.js';
import { summarizeCall } from './call-summary.js';

export interface SecondView {
  at: string;
  /** null: the remote end sent nothing in that second (no loss rate, level or MOS). */
  level: QualityLevel | null;
  lossRate: number | null;
  jitterMs: number;
  oneWayDelayMs: number;
  mos: number | null;
  packetsReceived: number;
  packetsSent: number;
}

export interface CallRef {
  callId: string;
  agentId: string | null;
  status: 'live' | 'ended';
  /** The published level (after hysteresis). */
  level: QualityLevel | null;
}

export interface LiveQuality extends CallRef {
  latestSecond: SecondView | null;
}

export interface QualityHistory extends CallRef {
  summary: CallQualitySummary;
  series: SecondView[];
  /** Pass as `from` for the next page; null when the window is exhausted. */
  next: string | null;
}

interface SecondRow {
  at: Date;
  level: number | null;
  loss_rate: number | null;
  jitter_ms: number;
  one_way_delay_ms: number;
  mos: number | null;
  packets_received: number;
  packets_sent: number;
}

const toSecond = (r: SecondRow): SecondView => ({
  at: r.at.toISOString(),
  level: r.level === null ? null : levelOfSeverity(r.level),
  lossRate: r.loss_rate,
  jitterMs: r.jitter_ms,
  oneWayDelayMs: r.one_way_delay_ms,
  mos: r.mos,
  packetsReceived: r.packets_received,
  packetsSent: r.packets_sent,
});

const SECOND_COLUMNS = 'at, level, loss_rate, jitter_ms, one_way_delay_ms, mos, packets_received, packets_sent';
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
    return { ...call, latestSecond: latest ? toSecond(latest) : null };
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
