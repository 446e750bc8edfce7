import { describe, expect, it } from '@jest/globals';
import type { CallReading, StreamReading } from './cadence.js';
import { meter, NEW_METER, readingOfSample, type MeterState } from './call-meter.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** A gateway's call where every second the remote end sends 50 packets and `lost(i)` of them are lost. */
function readings(
  count: number,
  options: { from?: number; lost?: (i: number) => number; jitterMs?: number; rttMs?: number; startAt?: number } = {},
): CallReading[] {
  const list: CallReading[] = [];
  let received = options.startAt ?? 0;
  let sent = options.startAt ?? 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      sent += 50;
      received += 50 - (options.lost?.(i) ?? 0);
    }
    const at = new Date(T0 + ((options.from ?? 0) + i) * 1000).toISOString();
    list.push(
      readingOfSample({ at, packetsReceived: received, packetsSent: sent, jitterMs: options.jitterMs ?? 2, rttMs: options.rttMs ?? 30 }),
    );
  }
  return list;
}

/** A browser's call: per second, what each stream received and lost, the remote's SR count, the remote's RR. */
function browserReadings(
  seconds: Array<{ audio?: [number, number]; video?: [number, number]; remoteSent?: number; remoteLoss?: number; agentSent?: number }>,
  gauges: { jitterMs?: number; rttMs?: number } = {},
): CallReading[] {
  const totals = { audio: [0, 0], video: [0, 0] };
  return seconds.map((s, i) => {
    const streams: Partial<Record<'audio' | 'video', StreamReading>> = {};
    for (const kind of ['audio', 'video'] as const) {
      const counts = s[kind];
      if (!counts) continue;
      totals[kind] = [totals[kind][0] + counts[0], totals[kind][1] + counts[0] + counts[1]];
      streams[kind] = {
        packetsReceived: totals[kind][0],
        packetsSent: totals[kind][1],
        jitterMs: gauges.jitterMs ?? 2,
        rttMs: gauges.rttMs ?? 30,
        remoteSent: s.remoteSent ?? null,
        agentSent: s.agentSent ?? null,
        remoteReceive: s.remoteLoss === undefined ? null : { lossRate: s.remoteLoss, jitterMs: 3, rttMs: 30 },
      };
    }
    return { atMs: T0 + i * 1000, streams };
  });
}

const at = (ms: number) => ms - T0;

describe('call meter: a batch of one call', () => {
  it('measures one second per elapsed second, the first reading being the origin', () => {
    const result = meter(NEW_METER, readings(4));
    expect(result.seconds.map((s) => [at(s.atMs), s.worst.packetsReceived, s.worst.packetsSent, s.worst.lossRate, s.level])).toEqual([
      [1000, 50, 50, 0, 'good'],
      [2000, 50, 50, 0, 'good'],
      [3000, 50, 50, 0, 'good'],
    ]);
    expect(result.outcomes).toEqual({ first: 1, second: 3 });
    expect(result.seconds[0].worst).toMatchObject({ kind: 'audio', side: 'agent-receive', jitterMs: 2, oneWayDelayMs: 15, mos: 4.4 });
    expect(result.seconds[0].flags).toEqual([]);
  });

  it('continues from the previous batch, and applies a redelivered batch only once', () => {
    const all = readings(6);
    const first = meter(NEW_METER, all.slice(0, 3));
    const second = meter(first.state, all.slice(3));
    expect(second.seconds.map((s) => at(s.atMs))).toEqual([3000, 4000, 5000]);
    const again = meter(second.state, all.slice(3));
    expect(again.seconds).toEqual([]);
    expect(again.outcomes).toEqual({ 'out-of-order': 2, duplicate: 1 });
    expect(again.state).toBe(second.state);
  });

  it('survives a JSON round trip of its state (as stored)', () => {
    const all = readings(6, { lost: (i) => (i % 2 ? 2 : 0) });
    const first = meter(NEW_METER, all.slice(0, 3));
    const stored = JSON.parse(JSON.stringify(first.state)) as MeterState;
    expect(meter(stored, all.slice(3)).seconds).toEqual(meter(first.state, all.slice(3)).seconds);
  });

  it('sorts a batch that came out of order, and ignores readings older than the latest', () => {
    const all = readings(5);
    const result = meter(NEW_METER, [all[2], all[0], all[1]]);
    expect(result.seconds.map((s) => at(s.atMs))).toEqual([1000, 2000]);
    const late = meter(result.state, [all[1], all[4], all[3]]);
    expect(late.seconds.map((s) => at(s.atMs))).toEqual([3000, 4000]);
    expect(late.outcomes).toEqual({ 'out-of-order': 1, second: 2 });
  });

  it('interpolates a 3 s hole (flagged) but invents nothing across more than 5.5 s', () => {
    const all = readings(16);
    const result = meter(NEW_METER, [all[0], all[1], all[4], all[5], all[15]]);
    expect(result.seconds.map((s) => [at(s.atMs), s.worst.packetsSent, s.flags])).toEqual([
      [1000, 50, []],
      [2000, 50, ['interpolated']],
      [3000, 50, ['interpolated']],
      [4000, 50, []],
      [5000, 50, []],
    ]);
    expect(result.outcomes).toEqual({ first: 1, second: 3, gap: 1 });
  });

  it('restarts from a new origin when the counters are reset', () => {
    const before = readings(3, { startAt: 5000 });
    const after = readings(3, { from: 3, startAt: 0 });
    const result = meter(NEW_METER, [...before, ...after]);
    expect(result.seconds.map((s) => [at(s.atMs), s.worst.packetsSent])).toEqual([
      [1000, 50],
      [2000, 50],
      [4000, 50],
      [5000, 50],
    ]);
    expect(result.outcomes).toEqual({ first: 1, second: 4, reset: 1 });
  });

  it('rates a second without packets by jitter and delay, flagged no-audio, without loss rate or MOS', () => {
    const list = readings(3, { jitterMs: 25 });
    list.push({ ...list[2], atMs: T0 + 3000 });
    const silent = meter(NEW_METER, list).seconds.at(-1)!;
    expect(silent.worst).toMatchObject({ packetsSent: 0, packetsReceived: 0, lossRate: null, mos: null, level: 'poor', noAudio: true });
    expect(silent.flags).toEqual(['no-audio']);
  });

  it("rates audio and video apart; the worse is the call's level for the second", () => {
    const result = meter(
      NEW_METER,
      browserReadings([
        { audio: [0, 0], video: [0, 0] },
        { audio: [50, 0], video: [97, 3] },
        { audio: [49, 1], video: [100, 0] },
      ]),
    );
    expect(result.seconds.map((s) => [s.level, s.worst.kind, s.streams.map((x) => `${x.kind}:${x.level}`)])).toEqual([
      ['poor', 'video', ['audio:good', 'video:poor']],
      ['poor', 'audio', ['audio:poor', 'video:good']],
    ]);
  });

  it("rates the remote end's receive direction from its receiver reports", () => {
    const result = meter(NEW_METER, browserReadings([{ audio: [0, 0] }, { audio: [50, 0], remoteLoss: 0.06 }]));
    expect(result.seconds[0].streams.map((s) => [s.side, s.lossRate, s.level, s.packetsSent])).toEqual([
      ['agent-receive', 0, 'good', 50],
      ['remote-receive', 0.06, 'bad', null],
    ]);
    expect(result.seconds[0].level).toBe('bad');
  });

  it('flags one-way audio from the 3rd second the agent receives nothing while the remote reports sending: Bad', () => {
    const seconds = [
      { audio: [50, 0] as [number, number], remoteSent: 50 },
      { audio: [50, 0] as [number, number], remoteSent: 100 },
    ];
    for (let i = 0; i < 4; i++) seconds.push({ audio: [0, 0], remoteSent: 100 + (i === 3 ? 150 : 0) });
    const result = meter(NEW_METER, browserReadings(seconds));
    expect(result.seconds.map((s) => [s.level, s.flags])).toEqual([
      ['good', []],
      ['good', ['no-audio']],
      ['good', ['no-audio']],
      ['good', ['no-audio']],
      ['bad', ['no-audio', 'one-way']],
    ]);
  });

  it('flags one-way audio the other way: the remote end loses everything the agent keeps sending', () => {
    const seconds = [0, 1, 2, 3, 4].map((i) => ({ audio: [50, 0] as [number, number], remoteLoss: i ? 1 : 0, agentSent: 50 * i }));
    const result = meter(NEW_METER, browserReadings(seconds));
    expect(result.seconds.map((s) => [s.level, s.flags, s.worst.side])).toEqual([
      ['bad', ['no-audio'], 'remote-receive'],
      ['bad', ['no-audio'], 'remote-receive'],
      ['bad', ['no-audio', 'one-way'], 'remote-receive'],
      ['bad', ['no-audio', 'one-way'], 'remote-receive'],
    ]);
  });

  it('discards every reading of a call that ended', () => {
    const closed: MeterState = { ...NEW_METER, closed: true };
    expect(meter(closed, readings(3))).toEqual({ state: closed, seconds: [], changes: [], alerts: [], outcomes: { 'call-ended': 3 } });
  });

  it('publishes level changes with hysteresis', () => {
    // 2 of 50 lost (4 %) from second 4 on: poor; confirmed at the 3rd poor second.
    const result = meter(NEW_METER, readings(9, { lost: (i) => (i >= 4 ? 2 : 0) }));
    expect(result.changes.map((c) => [c.from, c.to, at(c.second.atMs)])).toEqual([
      [null, 'good', 1000],
      ['good', 'poor', 6000],
    ]);
  });

  it('raises the alert on 3 poor seconds of 5 with reasons, kind and side, and clears it after 5 good ones', () => {
    // Poor at seconds 2, 4 and 6 (4 % loss), good between: the published level never moves, the alert does.
    const all = readings(13, { lost: (i) => (i === 2 || i === 4 || i === 6 ? 2 : 0) });
    const result = meter(NEW_METER, all);
    expect(result.alerts).toEqual([
      {
        type: 'went-poor',
        atMs: T0 + 6000,
        level: 'poor',
        reasons: [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.04 }],
        metrics: { lossRate: 0.04, jitterMs: 2, oneWayDelayMs: 15, mos: expect.any(Number) },
      },
      { type: 'recovered', atMs: T0 + 11_000, poorSinceMs: T0 + 6000 },
    ]);
    expect(result.changes.map((c) => c.to)).toEqual(['good']);
  });

  it("reads gateway samples as the agent's received audio", () => {
    expect(readingOfSample({ at: '2026-11-24T10:00:01.250Z', packetsReceived: 5, packetsSent: 6, jitterMs: 7, rttMs: 8 })).toEqual({
      atMs: T0 + 1250,
      streams: {
        audio: { packetsReceived: 5, packetsSent: 6, jitterMs: 7, rttMs: 8, remoteSent: 6, agentSent: null, remoteReceive: null },
      },
    });
  });
});
