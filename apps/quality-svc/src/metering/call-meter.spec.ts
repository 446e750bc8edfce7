import { describe, expect, it } from '@jest/globals';
import { meter, NEW_METER, toReading, type MeterState } from './call-meter.js';
import type { Reading } from './table2.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const NOW = T0 + 3_600_000;

/** A call where every second the remote end sends 50 packets and `lost(i)` of them are lost. */
function readings(
  count: number,
  options: { from?: number; lost?: (i: number) => number; jitterMs?: number; rttMs?: number; startAt?: number } = {},
) {
  const list: Reading[] = [];
  let received = options.startAt ?? 0;
  let sent = options.startAt ?? 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      sent += 50;
      received += 50 - (options.lost?.(i) ?? 0);
    }
    list.push({
      atMs: T0 + ((options.from ?? 0) + i) * 1000,
      packetsReceived: received,
      packetsSent: sent,
      jitterMs: options.jitterMs ?? 2,
      rttMs: options.rttMs ?? 30,
    });
  }
  return list;
}

describe('call meter: a batch of one call', () => {
  it('measures one second per pair of readings 1 s apart, the first reading being only a baseline', () => {
    const result = meter(NEW_METER, readings(4), NOW);
    expect(result.seconds.map((s) => [s.atMs - T0, s.packetsReceived, s.packetsSent, s.lossRate, s.level])).toEqual([
      [1000, 50, 50, 0, 'good'],
      [2000, 50, 50, 0, 'good'],
      [3000, 50, 50, 0, 'good'],
    ]);
    expect(result.outcomes).toEqual({ first: 1, second: 3 });
    expect(result.state.baseline?.atMs).toBe(T0 + 3000);
    expect(result.seconds[0]).toMatchObject({ jitterMs: 2, oneWayDelayMs: 15, mos: 4.4 });
  });

  it('continues from the previous batch, and applies a redelivered batch only once', () => {
    const all = readings(6);
    const first = meter(NEW_METER, all.slice(0, 3), NOW);
    const second = meter(first.state, all.slice(3), NOW);
    expect(second.seconds.map((s) => s.atMs - T0)).toEqual([3000, 4000, 5000]);
    const again = meter(second.state, all.slice(3), NOW);
    expect(again.seconds).toEqual([]);
    expect(again.outcomes).toEqual({ 'out-of-order': 2, duplicate: 1 });
    expect(again.state).toBe(second.state);
  });

  it('sorts a batch that came out of order, and ignores samples older than what was already measured', () => {
    const all = readings(5);
    const result = meter(NEW_METER, [all[2], all[0], all[1]], NOW);
    expect(result.seconds.map((s) => s.atMs - T0)).toEqual([1000, 2000]);
    const late = meter(result.state, [all[1], all[4], all[3]], NOW);
    expect(late.seconds.map((s) => s.atMs - T0)).toEqual([3000, 4000]);
    expect(late.outcomes).toEqual({ 'out-of-order': 1, second: 2 });
  });

  it('invents nothing across a gap: the seconds missing stay missing and the next reading is a new baseline', () => {
    const all = readings(8);
    const result = meter(NEW_METER, [all[0], all[1], all[5], all[6], all[7]], NOW);
    expect(result.seconds.map((s) => s.atMs - T0)).toEqual([1000, 6000, 7000]);
    expect(result.outcomes).toEqual({ first: 1, second: 3, gap: 1 });
  });

  it('restarts from a new baseline when the counters are reset', () => {
    const before = readings(3, { startAt: 5000 });
    const after = readings(3, { from: 3, startAt: 0 });
    const result = meter(NEW_METER, [...before, ...after], NOW);
    expect(result.seconds.map((s) => [s.atMs - T0, s.packetsSent])).toEqual([
      [1000, 50],
      [2000, 50],
      [4000, 50],
      [5000, 50],
    ]);
    expect(result.outcomes).toEqual({ first: 1, second: 4, reset: 1 });
  });

  it('uses the reading 1 s ago when the gateway samples every 500 ms', () => {
    const list: Reading[] = [0, 500, 1000, 1500, 2000].map((ms, i) => ({
      atMs: T0 + ms,
      packetsReceived: i * 25,
      packetsSent: i * 25,
      jitterMs: 1,
      rttMs: 10,
    }));
    const result = meter(NEW_METER, list, NOW);
    expect(result.seconds.map((s) => [s.atMs - T0, s.packetsSent])).toEqual([
      [1000, 50],
      [2000, 50],
    ]);
    expect(result.outcomes).toEqual({ first: 1, early: 2, second: 2 });
  });

  it('records a second without traffic with no loss rate, level or MOS, and leaves the level alone', () => {
    const list = readings(3);
    list.push({ ...list[2], atMs: T0 + 3000 });
    const result = meter(NEW_METER, list, NOW);
    expect(result.seconds.at(-1)).toMatchObject({ packetsSent: 0, packetsReceived: 0, lossRate: null, level: null, mos: null });
    expect(result.state.hysteresis.level).toBe('good');
  });

  it('refuses samples stamped more than a minute ahead of the clock', () => {
    const result = meter(NEW_METER, readings(3), T0 + 1000 - 60_001);
    expect(result.outcomes).toEqual({ first: 1, future: 2 });
  });

  it('discards every sample of a call that ended', () => {
    const closed: MeterState = { ...NEW_METER, closed: true };
    expect(meter(closed, readings(3), NOW)).toEqual({ state: closed, seconds: [], changes: [], outcomes: { 'call-ended': 3 } });
  });

  it('publishes level changes with hysteresis and asks to tell the manager when the call goes poor', () => {
    // 2 of 50 lost (4 %) from second 4 on: poor; confirmed at the 3rd poor second.
    const result = meter(NEW_METER, readings(9, { lost: (i) => (i >= 4 ? 2 : 0) }), NOW);
    expect(result.changes.map((c) => [c.from, c.to, c.second.atMs - T0])).toEqual([
      [null, 'good', 1000],
      ['good', 'poor', 6000],
    ]);
    expect(result.state.pendingNotice).toMatchObject({ level: 'poor', second: { atMs: T0 + 6000, lossRate: 0.04 } });
  });

  it('drops a pending notice once the call is no longer poor', () => {
    // Poor from second 4 to 8, good again from second 9: recovered at the 5th good second (13).
    const all = readings(15, { lost: (i) => (i >= 4 && i <= 8 ? 2 : 0) });
    const poor = meter(NEW_METER, all.slice(0, 13), NOW);
    expect(poor.changes.map((c) => c.to)).toEqual(['good', 'poor']);
    expect(poor.state.pendingNotice).not.toBeNull();
    const recovered = meter(poor.state, all.slice(13), NOW);
    expect(recovered.changes.map((c) => [c.from, c.to, c.second.atMs - T0])).toEqual([['poor', 'good', 13_000]]);
    expect(recovered.state.pendingNotice).toBeNull();
  });

  it('reads contract samples', () => {
    expect(toReading({ at: '2026-11-24T10:00:01.250Z', packetsReceived: 5, packetsSent: 6, jitterMs: 7, rttMs: 8 })).toEqual({
      atMs: T0 + 1250,
      packetsReceived: 5,
      packetsSent: 6,
      jitterMs: 7,
      rttMs: 8,
    });
  });
});
