import type { Sql } from '@softphone/event-store';
import { levelOfSeverity } from '../metering/network-level.js';
import type { CallQualitySummary } from './call-quality.decider.js';

interface SummaryRow {
  good: number;
  medium: number;
  poor: number;
  bad: number;
  unrated: number;
  worst: number | null;
  first: Date | null;
  last: Date | null;
  loss_rate: number | null;
  jitter_ms: number | null;
  one_way_delay_ms: number | null;
  mos: number | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Worst level, time at each level and averages of one call, from its measured
 * seconds; "unrated" seconds are those without audio (no packet received:
 * rated by jitter and delay only, counted in their level too).
 */
export async function summarizeCall(sql: Sql, tenantId: string, callId: string): Promise<CallQualitySummary> {
  const [r] = await sql.rows<SummaryRow>(
    `SELECT count(*) FILTER (WHERE level = 0)::int AS good, count(*) FILTER (WHERE level = 1)::int AS medium,
            count(*) FILTER (WHERE level = 2)::int AS poor, count(*) FILTER (WHERE level = 3)::int AS bad,
            count(*) FILTER (WHERE flags & 2 <> 0)::int AS unrated, max(level) AS worst, min(at) AS first, max(at) AS last,
            avg(loss_rate) AS loss_rate, avg(jitter_ms) AS jitter_ms,
            avg(one_way_delay_ms) AS one_way_delay_ms, avg(mos) AS mos
     FROM quality_seconds WHERE meter_id = (SELECT meter_id FROM call_meters WHERE tenant_id = $1 AND call_id = $2)`,
    [tenantId, callId],
  );
  return {
    worstLevel: r.worst === null ? null : levelOfSeverity(r.worst),
    secondsByLevel: { good: r.good, medium: r.medium, poor: r.poor, bad: r.bad },
    unratedSeconds: r.unrated,
    firstSecond: r.first?.toISOString() ?? null,
    lastSecond: r.last?.toISOString() ?? null,
    averages:
      r.mos === null
        ? null
        : {
            lossRate: round(r.loss_rate!, 6),
            jitterMs: round(r.jitter_ms!, 2),
            oneWayDelayMs: round(r.one_way_delay_ms!, 2),
            mos: round(r.mos, 2),
          },
  };
}
