import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { callQualityStream } from '../call-quality/call-quality.decider.js';
import type { MeteredSecond } from '../metering/call-meter.js';
import { severity } from '../metering/network-level.js';
import type { Checkpoint, LiveMeter } from './partition-meters.js';

/** Another instance owns the partition now (a rebalance): this one's meters of it are stale. */
export class FencedOut extends Error {
  constructor(topic: string, partition: number) {
    super(`${topic}:${partition} has another owner`);
  }
}

const FLAG_BITS = { interpolated: 1, 'no-audio': 2, 'one-way': 4 } as const;

/** A new owner: the epoch goes up (waiting for the previous owner's checkpoint in progress), the checkpointed offset comes back. */
const CLAIM = `INSERT INTO quality_partitions (topic, partition, epoch) VALUES ($1, $2, 1)
  ON CONFLICT (topic, partition) DO UPDATE SET epoch = quality_partitions.epoch + 1
  RETURNING epoch::text, next_offset::text`;

const FENCE = `UPDATE quality_partitions SET next_offset = $4 WHERE topic = $1 AND partition = $2 AND epoch = $3`;

/** Only meters still open: a meter the call's end closed meanwhile is left alone (its call is summarized). */
const SAVE_STATES = `UPDATE call_meters m SET state = u.s, level = u.l, stream_version = u.v
  FROM json_to_recordset($1::json) AS u(i bigint, s jsonb, l int2, v int)
  WHERE m.meter_id = u.i AND NOT m.closed
  RETURNING m.meter_id::text`;

const INSERT_SECONDS = `INSERT INTO quality_seconds (meter_id, at, packets_received, packets_sent, loss_rate, jitter_ms, one_way_delay_ms,
                             mos, level, flags, kind, side, streams)
  SELECT x.i, timestamptz 'epoch' + x.a * interval '1 millisecond', x.r, x.s, x.l, x.j, x.d, x.m, x.v, x.f, x.k, x.sd, x.st
  FROM json_to_recordset($1::json)
    AS x(i bigint, a bigint, r bigint, s bigint, l float8, j float8, d float8, m float8, v int2, f int2, k text, sd text, st jsonb)
  ON CONFLICT (meter_id, at) DO NOTHING`;

export async function claimPartition(
  uow: Pick<UnitOfWork, 'sql'>,
  topic: string,
  partition: number,
): Promise<{ epoch: string; nextOffset: string | null }> {
  const [row] = await uow.sql.rows<{ epoch: string; next_offset: string | null }>(CLAIM, [topic, partition]);
  return { epoch: row.epoch, nextOffset: row.next_offset };
}

/**
 * One transaction per partition and checkpoint: the partition's offset (fenced
 * by the owner's epoch: 0 rows and nothing is written), the changed meter
 * states, the call quality events, the measured seconds (idempotent by meter
 * and second). Returns the meters found closed.
 */
export async function writeCheckpoint(
  uow: UnitOfWork,
  owner: { topic: string; partition: number; epoch: string; tenantId: string },
  c: Checkpoint,
): Promise<LiveMeter[]> {
  const fenced = await uow.sql.execute(FENCE, [owner.topic, owner.partition, owner.epoch, c.nextOffset]);
  if (fenced !== 1) throw new FencedOut(owner.topic, owner.partition);
  if (c.meters.length === 0) return [];
  const states = c.meters.map(({ meter: m, state, version }) => {
    const { closed: _closed, ...rest } = state;
    return { i: m.meterId, s: rest, l: state.hysteresis.level === null ? null : severity(state.hysteresis.level), v: version };
  });
  const open = new Set(
    (await uow.sql.prepared<{ meter_id: string }>('quality_save_states', SAVE_STATES, [JSON.stringify(states)])).map((r) => r.meter_id),
  );
  for (const { meter: m, expectedVersion, events } of c.events) {
    if (!open.has(m.meterId)) continue;
    const withAgent = events.map((e) => ({ ...e, data: { ...e.data, agentId: m.agentId } }));
    await uow.append(callQualityStream(owner.tenantId, m.callId), expectedVersion, withAgent, metadataFor(owner.tenantId));
  }
  const rows = c.seconds
    .filter(({ meter: m }) => open.has(m.meterId))
    .flatMap(({ meter: m, seconds }) => seconds.map((s) => secondRow(m, s)));
  if (rows.length > 0) await uow.sql.prepared('quality_insert_seconds', INSERT_SECONDS, [JSON.stringify(rows)]);
  return c.meters.filter(({ meter: m }) => !open.has(m.meterId)).map(({ meter: m }) => m);
}

const secondRow = (m: LiveMeter, s: MeteredSecond) => ({
  i: m.meterId,
  a: s.atMs,
  r: s.worst.packetsReceived,
  s: s.worst.packetsSent,
  l: s.worst.lossRate,
  j: s.worst.jitterMs,
  d: s.worst.oneWayDelayMs,
  m: s.worst.mos,
  v: severity(s.level),
  f: s.flags.reduce((bits, flag) => bits | FLAG_BITS[flag], 0),
  k: s.worst.kind,
  sd: s.worst.side,
  st: s.streams,
});
