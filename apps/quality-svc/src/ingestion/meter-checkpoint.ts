import type { EventMetadata, NewEvent, UnitOfWork } from '@softphone/event-store';
import { ConcurrencyError } from '@softphone/errors';
import { metadataFor } from '@softphone/platform';
import { callQualityStream } from '../call-quality/call-quality.decider.js';
import { severity } from '../metering/network-level.js';
import type { Checkpoint, LiveMeter } from './partition-meters.js';

/** Another instance owns the partition now (a rebalance): this one's meters of it are stale. */
export class FencedOut extends Error {
  constructor(topic: string, partition: number) {
    super(`${topic}:${partition} has another owner`);
  }
}

/** A new owner: the epoch goes up (waiting for the previous owner's checkpoint in progress), the checkpointed offsets come back. */
const CLAIM = `INSERT INTO quality_partitions (topic, partition, epoch) VALUES ($1, $2, 1)
  ON CONFLICT (topic, partition) DO UPDATE SET epoch = quality_partitions.epoch + 1
  RETURNING epoch::text, resume_offset::text, written_offset::text`;

const FENCE = `UPDATE quality_partitions SET written_offset = $4, resume_offset = CASE WHEN $5 THEN $6::bigint ELSE resume_offset END
  WHERE topic = $1 AND partition = $2 AND epoch = $3`;

/**
 * Only meters still open and still this owner's: a meter the call's end closed meanwhile is left alone (its call is
 * summarized), and so is one whose stream moved past the version this owner last saved (`e`): another partition's
 * owner meters the same call (samples of one call under two keys).
 */
const SAVE_STATES = `UPDATE call_meters m SET state = u.s, level = u.l, stream_version = u.v
  FROM json_to_recordset($1::json) AS u(i bigint, s jsonb, l int2, v int, e int)
  WHERE m.meter_id = u.i AND NOT m.closed AND m.stream_version = u.e
  RETURNING m.meter_id::text`;

const CLOSED = `SELECT meter_id::text FROM call_meters WHERE meter_id = ANY($1::bigint[]) AND closed`;

/** The meters a checkpoint did not save: closed by their call's end, or moved by another owner (stale here). */
export interface NotSaved {
  closed: LiveMeter[];
  stale: LiveMeter[];
}

/** The seconds as column arrays (seconds-columns.ts), of open meters only. */
const INSERT_SECONDS = `INSERT INTO quality_seconds (meter_id, at, packets_received, packets_sent, loss_rate, jitter_ms, one_way_delay_ms,
                             mos, level, flags, kind, side, streams)
  SELECT x.i, timestamptz 'epoch' + x.a * interval '1 millisecond', x.r, x.s, x.l, x.j, x.d, x.m, x.v, x.f, x.k, x.sd, x.st
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
              $9::int2[], $10::int2[], $11::text[], $12::text[], $13::jsonb[]) AS x(i, a, r, s, l, j, d, m, v, f, k, sd, st)
  JOIN call_meters c ON c.meter_id = x.i AND NOT c.closed
  ON CONFLICT (meter_id, at) DO NOTHING`;

export async function claimPartition(
  uow: Pick<UnitOfWork, 'sql'>,
  topic: string,
  partition: number,
): Promise<{ epoch: string; resumeOffset: string | null; writtenOffset: string | null }> {
  const [row] = await uow.sql.rows<{ epoch: string; resume_offset: string | null; written_offset: string | null }>(CLAIM, [
    topic,
    partition,
  ]);
  return { epoch: row.epoch, resumeOffset: row.resume_offset, writtenOffset: row.written_offset };
}

/**
 * One transaction per partition and checkpoint: the partition's offsets (fenced
 * by the owner's epoch: 0 rows and nothing is written), the states of the
 * meters with events (every changed meter in a snapshot), the call quality
 * events of open meters, the measured seconds of open meters (idempotent by
 * meter and second). A meter's state and stream version are saved together at
 * any point after the snapshot's resume offset: replayed, the messages it
 * already took are duplicates its cadence ignores. A meter another owner moved
 * gets no state or event from this one (never a stale append that would fail the
 * whole checkpoint, again and again): its seconds are still written. Returns the
 * meters not saved.
 */
export async function writeCheckpoint(
  uow: UnitOfWork,
  owner: { topic: string; partition: number; epoch: string; tenantId: string },
  c: Checkpoint,
): Promise<NotSaved> {
  const fenced = await uow.sql.execute(FENCE, [
    owner.topic,
    owner.partition,
    owner.epoch,
    c.writtenOffset,
    c.snapshot !== null,
    c.snapshot?.resumeOffset ?? null,
  ]);
  if (fenced !== 1) throw new FencedOut(owner.topic, owner.partition);
  // Meters with events are saved first (their level and alert are read from the row): the row lock orders them with the
  // call's end, and a meter it closed gets no event.
  const open = await saveStates(uow, c);
  await appendEvents(
    uow,
    owner.tenantId,
    c.events.filter(({ meter: m }) => open.has(m.meterId)),
  );
  // Seconds of open meters only (a meter closed since is known closed here at its next save).
  if (c.seconds.size > 0) await uow.sql.prepared('quality_insert_seconds', INSERT_SECONDS, c.seconds.params());
  const notSaved = c.meters.filter(({ meter: m }) => !open.has(m.meterId)).map(({ meter: m }) => m);
  if (notSaved.length === 0) return { closed: [], stale: [] };
  const closed = new Set((await uow.sql.rows<{ meter_id: string }>(CLOSED, [notSaved.map((m) => m.meterId)])).map((r) => r.meter_id));
  return { closed: notSaved.filter((m) => closed.has(m.meterId)), stale: notSaved.filter((m) => !closed.has(m.meterId)) };
}

/**
 * The events of the open meters, every call's stream in one append statement (a
 * new call's first level event included: no statement per call). A meter's
 * entries follow each other (each at the version the previous one left), so they
 * go as one append at the first one's version. Each stream keeps its optimistic
 * concurrency; one no longer at its version fails the checkpoint, as before
 * (retried with the next one: nothing is lost or appended twice).
 */
async function appendEvents(uow: UnitOfWork, tenantId: string, entries: Checkpoint['events']): Promise<void> {
  if (entries.length === 0) return;
  const byMeter = new Map<LiveMeter, { streamId: string; expectedVersion: number; events: NewEvent[]; meta: EventMetadata }>();
  for (const { meter: m, expectedVersion, events } of entries) {
    const withAgent = events.map((e) => ({ ...e, data: { ...e.data, agentId: m.agentId } }));
    const append = byMeter.get(m);
    if (append) append.events.push(...withAgent);
    else
      byMeter.set(m, { streamId: callQualityStream(tenantId, m.callId), expectedVersion, events: withAgent, meta: metadataFor(tenantId) });
  }
  const appends = [...byMeter.values()];
  const recorded = await uow.appendAll(appends);
  const lost = appends.filter((_, i) => recorded[i] === null);
  if (lost.length > 0)
    throw new ConcurrencyError(lost.map((a) => `stream ${a.streamId} is no longer at version ${a.expectedVersion}`).join('; '));
}

/**
 * Saves meter states with their stream version, where the stored version is the one this owner saved last (before
 * this checkpoint's first events of the meter): the ones still open and still this owner's.
 */
async function saveStates(uow: UnitOfWork, c: Checkpoint): Promise<Set<string>> {
  if (c.meters.length === 0) return new Set();
  const savedVersion = new Map<LiveMeter, number>();
  for (const { meter: m, expectedVersion } of c.events)
    savedVersion.set(m, Math.min(expectedVersion, savedVersion.get(m) ?? expectedVersion));
  const states = c.meters.map(({ meter: m, state, version }) => {
    const { closed: _closed, ...rest } = state;
    const level = state.hysteresis.level === null ? null : severity(state.hysteresis.level);
    return { i: m.meterId, s: rest, l: level, v: version, e: savedVersion.get(m) ?? version };
  });
  const saved = await uow.sql.prepared<{ meter_id: string }>('quality_save_states', SAVE_STATES, [JSON.stringify(states)]);
  return new Set(saved.map((r) => r.meter_id));
}
