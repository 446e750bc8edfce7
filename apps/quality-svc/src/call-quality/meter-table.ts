import type { Sql } from '@softphone/event-store';
import { callKey } from '../call-key.js';
import { NEW_METER, type MeterState } from '../metering/call-meter.js';
import { severity } from '../metering/network-level.js';

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
  state: Omit<MeterState, 'closed'> | null;
  closed: boolean;
  stream_version: number;
}

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
 */
const LOAD = `SELECT m.meter_id, m.tenant_id, m.call_id, m.state, m.closed, m.stream_version
  FROM call_meters m JOIN json_to_recordset($1::json) AS k(t text, c text) ON m.tenant_id = k.t AND m.call_id = k.c`;

const CREATE = `INSERT INTO call_meters (tenant_id, call_id) SELECT k.t, k.c FROM json_to_recordset($1::json) AS k(t text, c text) ON CONFLICT DO NOTHING`;

const SAVE = `UPDATE call_meters m
  SET state = u.s, level = u.l, closed = u.cl, stream_version = u.v
  FROM json_to_recordset($1::json) AS u(t text, c text, s jsonb, l int2, cl boolean, v int)
  WHERE m.tenant_id = u.t AND m.call_id = u.c`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const toMeter = (r: MeterRow): Meter => ({
  meterId: r.meter_id,
  tenantId: r.tenant_id,
  callId: r.call_id,
  state: { ...NEW_METER, ...r.state, closed: r.closed },
  version: r.stream_version,
});

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

export async function saveMeters(sql: Sql, meters: readonly Meter[]): Promise<void> {
  if (meters.length === 0) return;
  const rows = meters.map(({ tenantId, callId, state, version }) => {
    const { closed, ...rest } = state;
    return {
      t: tenantId,
      c: callId,
      s: rest,
      l: state.hysteresis.level === null ? null : severity(state.hysteresis.level),
      cl: closed,
      v: version,
    };
  });
  await sql.prepared('quality_save_meters', SAVE, [JSON.stringify(rows)]);
}
