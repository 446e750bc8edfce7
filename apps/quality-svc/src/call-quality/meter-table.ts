import type { Sql } from '@softphone/event-store';
import { callKey } from '../call-key.js';
import type { MeterState, PendingNotice } from '../metering/call-meter.js';
import { levelOfSeverity, severity } from '../metering/network-level.js';

/** A call's meter as stored: its state, and the version of its call quality stream (the state is that stream's snapshot). */
export interface Meter {
  /** Keys the call's measured seconds (bigint as text). */
  meterId: string;
  tenantId: string;
  callId: string;
  state: MeterState;
  version: number;
}

interface MeterRow {
  meter_id: string;
  tenant_id: string;
  call_id: string;
  baseline_at: number | null;
  baseline_received: number | null;
  baseline_sent: number | null;
  level: number | null;
  streak: number | null;
  streak_seconds: number | null;
  streak_level: number | null;
  pending_notice: PendingNotice | null;
  closed: boolean;
  stream_version: number;
  last_second_at?: number | null;
  last_second_received?: number | null;
  last_second_sent?: number | null;
}

const COLUMNS = `m.meter_id, m.tenant_id, m.call_id, m.baseline_at::float8 AS baseline_at, m.baseline_received::float8 AS baseline_received,
  m.baseline_sent::float8 AS baseline_sent, m.level, m.streak, m.streak_seconds, m.streak_level, m.pending_notice, m.closed, m.stream_version`;

/**
 * Batches travel as one JSON document per statement (json_to_recordset): one
 * JSON.stringify here and one parse in PostgreSQL, much cheaper than arrays
 * of thousands of escaped elements.
 */
const keysJson = (calls: ReadonlyArray<{ tenantId: string; callId: string }>) =>
  JSON.stringify(calls.map((c) => ({ t: c.tenantId, c: c.callId })));

/**
 * Read without row locks: every unit of work runs in REPEATABLE READ, so a
 * meter another transaction changed since this one's snapshot makes the later
 * UPDATE (or the insert of the same second) fail and the unit of work re-run.
 * A call's samples come in order from one partition, so that race is rare,
 * and no row lock is written per call and batch. The baseline is the later of
 * the one in the meter row and the counters of the call's last second.
 */
const LOAD = `SELECT ${COLUMNS}, (extract(epoch FROM s.at) * 1000)::float8 AS last_second_at,
    s.packets_received_total::float8 AS last_second_received, s.packets_sent_total::float8 AS last_second_sent
  FROM call_meters m JOIN json_to_recordset($1::json) AS k(t text, c text) ON m.tenant_id = k.t AND m.call_id = k.c
  LEFT JOIN LATERAL (SELECT at, packets_received_total, packets_sent_total FROM quality_seconds q
                     WHERE q.meter_id = m.meter_id ORDER BY at DESC LIMIT 1) s ON true`;

const CREATE = `INSERT INTO call_meters (tenant_id, call_id) SELECT k.t, k.c FROM json_to_recordset($1::json) AS k(t text, c text) ON CONFLICT DO NOTHING`;

const SAVE = `UPDATE call_meters m
  SET baseline_at = u.ba, baseline_received = u.br, baseline_sent = u.bs, level = u.l, streak = u.s, streak_seconds = u.sn,
      streak_level = u.sl, pending_notice = u.pn, closed = u.cl, stream_version = u.v
  FROM json_to_recordset($1::json) AS u(t text, c text, ba bigint, br bigint, bs bigint, l int2, s int2, sn int2, sl int2, pn jsonb, cl boolean, v int)
  WHERE m.tenant_id = u.t AND m.call_id = u.c`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function toMeter(r: MeterRow): Meter {
  const stored =
    r.baseline_at === null ? null : { atMs: r.baseline_at, packetsReceived: r.baseline_received!, packetsSent: r.baseline_sent! };
  const lastSecond =
    r.last_second_at == null
      ? null
      : { atMs: r.last_second_at, packetsReceived: r.last_second_received!, packetsSent: r.last_second_sent! };
  const baseline = !lastSecond || (stored && stored.atMs > lastSecond.atMs) ? stored : lastSecond;
  const streak =
    r.streak === null
      ? null
      : {
          direction: r.streak > 0 ? ('worse' as const) : ('better' as const),
          seconds: r.streak_seconds!,
          level: levelOfSeverity(r.streak_level!),
        };
  return {
    meterId: r.meter_id,
    tenantId: r.tenant_id,
    callId: r.call_id,
    state: {
      baseline,
      hysteresis: { level: r.level === null ? null : levelOfSeverity(r.level), streak },
      pendingNotice: r.pending_notice,
      closed: r.closed,
    },
    version: r.stream_version,
  };
}

/** The meters of these calls, created for the calls not seen before. */
export async function loadMeters(sql: Sql, calls: ReadonlyArray<{ tenantId: string; callId: string }>): Promise<Meter[]> {
  const found = (await sql.prepared<MeterRow>('quality_load_meters', LOAD, [keysJson(calls)])).map(toMeter);
  if (found.length === calls.length) return found;
  const known = new Set(found.map((m) => callKey(m.tenantId, m.callId)));
  const missing = calls.filter((c) => !known.has(callKey(c.tenantId, c.callId)));
  // Sorted, so that two instances creating the same new calls do not wait on each other in a circle.
  missing.sort((a, b) => compare(a.tenantId, b.tenantId) || compare(a.callId, b.callId));
  await sql.prepared('quality_create_meters', CREATE, [keysJson(missing)]);
  return [...found, ...(await sql.prepared<MeterRow>('quality_load_meters', LOAD, [keysJson(missing)])).map(toMeter)];
}

const sameStreak = (a: MeterState['hysteresis']['streak'], b: MeterState['hysteresis']['streak']) =>
  a === b || (a !== null && b !== null && a.direction === b.direction && a.seconds === b.seconds && a.level === b.level);

/** Whether a meter's row must be rewritten: for anything but a baseline that the call's last measured second already gives. */
export function needsSaving(before: Meter, after: Meter, lastSecondAtMs: number | null): boolean {
  const [a, b] = [before.state, after.state];
  return (
    before.version !== after.version ||
    a.closed !== b.closed ||
    a.pendingNotice !== b.pendingNotice ||
    a.hysteresis.level !== b.hysteresis.level ||
    !sameStreak(a.hysteresis.streak, b.hysteresis.streak) ||
    (a.baseline !== b.baseline && b.baseline?.atMs !== lastSecondAtMs)
  );
}

export async function saveMeters(sql: Sql, meters: readonly Meter[]): Promise<void> {
  if (meters.length === 0) return;
  const rows = meters.map(({ tenantId, callId, state, version }) => ({
    t: tenantId,
    c: callId,
    ba: state.baseline?.atMs ?? null,
    br: state.baseline?.packetsReceived ?? null,
    bs: state.baseline?.packetsSent ?? null,
    l: state.hysteresis.level === null ? null : severity(state.hysteresis.level),
    s: state.hysteresis.streak === null ? null : state.hysteresis.streak.direction === 'worse' ? 1 : -1,
    sn: state.hysteresis.streak?.seconds ?? null,
    sl: state.hysteresis.streak ? severity(state.hysteresis.streak.level) : null,
    pn: state.pendingNotice,
    cl: state.closed,
    v: version,
  }));
  await sql.prepared('quality_save_meters', SAVE, [JSON.stringify(rows)]);
}
