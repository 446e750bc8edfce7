import { describe, expect, it } from '@jest/globals';
import { advance, type CadenceState, type CallReading, type Span } from './cadence.js';

const T0 = 1_795_844_384_000;

/** 1,000 packets a second (one a millisecond), 3 % of them lost, read every `cadenceMs` from T0 + offset. */
function readings(cadenceMs: number, untilMs: number, offsetMs = 0): CallReading[] {
  const list: CallReading[] = [];
  for (let t = offsetMs; t <= untilMs; t += cadenceMs) {
    list.push({
      atMs: T0 + t,
      streams: {
        audio: {
          packetsSent: t,
          packetsReceived: Math.round(t * 0.97),
          jitterMs: t / 1000,
          rttMs: 40,
          remoteSent: null,
          agentSent: null,
          remoteReceive: null,
        },
      },
    });
  }
  return list;
}

function run(list: readonly CallReading[]) {
  let state: CadenceState | null = null;
  const spans: Span[] = [];
  const outcomes: string[] = [];
  for (const reading of list) {
    const advanced = advance(state, reading);
    state = advanced.state;
    spans.push(...advanced.spans);
    outcomes.push(advanced.outcome);
  }
  return { spans, outcomes, state };
}

const sentIn = (s: Span) => s.end.audio!.packetsSent - s.start.audio!.packetsSent;
const lostIn = (s: Span) => sentIn(s) - (s.end.audio!.packetsReceived - s.start.audio!.packetsReceived);

describe('cadence rule: one measured second per elapsed second, whatever the cadence', () => {
  it.each([100, 200, 700, 1000, 1300, 2000, 5000])('a reading every %i ms', (cadenceMs) => {
    const list = readings(cadenceMs, 35_000);
    const { spans } = run(list);
    const elapsed = list.at(-1)!.atMs - T0;
    expect(spans).toHaveLength(Math.floor((elapsed + 100) / 1000));
    spans.forEach((span, i) => {
      // Each second ends on its grid point, or at a reading within 100 ms of it.
      expect(Math.abs(span.atMs - (T0 + (i + 1) * 1000))).toBeLessThanOrEqual(100);
      expect(span.interpolated).toBe(!list.some((r) => r.atMs === span.atMs));
      expect(sentIn(span)).toBeGreaterThanOrEqual(800);
      expect(sentIn(span)).toBeLessThanOrEqual(1200);
      expect(lostIn(span) / sentIn(span)).toBeCloseTo(0.03, 2);
      // Each second starts where the previous one ended: nothing counted twice or dropped.
      if (i > 0) expect(span.start).toEqual(spans[i - 1].end);
    });
    expect(spans[0].start.audio).toEqual({ packetsSent: 0, packetsReceived: 0 });
    // The gauges are those of the reading at or after the second's end.
    for (const span of spans) expect(span.reading.atMs).toBeGreaterThanOrEqual(span.atMs);
  });

  it('measures whole seconds exactly when the cadence divides a second', () => {
    for (const cadenceMs of [100, 200, 1000]) {
      const { spans } = run(readings(cadenceMs, 5_000));
      expect(spans.map((s) => [s.atMs - T0, sentIn(s), lostIn(s), s.interpolated])).toEqual([
        [1000, 1000, 30, false],
        [2000, 1000, 30, false],
        [3000, 1000, 30, false],
        [4000, 1000, 30, false],
        [5000, 1000, 30, false],
      ]);
    }
  });

  it('yields five interpolated-rate seconds from readings 5 s apart, the fifth on the reading', () => {
    const { spans, outcomes } = run(readings(5000, 10_000));
    expect(outcomes).toEqual(['first', 'second', 'second']);
    expect(spans.map((s) => [s.atMs - T0, sentIn(s), lostIn(s), s.interpolated, s.reading.atMs - T0])).toEqual([
      [1000, 1000, 30, true, 5000],
      [2000, 1000, 30, true, 5000],
      [3000, 1000, 30, true, 5000],
      [4000, 1000, 30, true, 5000],
      [5000, 1000, 30, false, 5000],
      [6000, 1000, 30, true, 10_000],
      [7000, 1000, 30, true, 10_000],
      [8000, 1000, 30, true, 10_000],
      [9000, 1000, 30, true, 10_000],
      [10_000, 1000, 30, false, 10_000],
    ]);
  });

  it('interpolates at 700 ms and ends a second on a reading within 100 ms of its grid point', () => {
    const { spans, outcomes } = run(readings(700, 3_500));
    expect(outcomes).toEqual(['first', 'early', 'second', 'second', 'early', 'second']);
    expect(spans.map((s) => [s.atMs - T0, s.interpolated, sentIn(s)])).toEqual([
      [1000, true, 1000],
      [2100, false, 1100],
      [3000, true, 900],
    ]);
  });

  it('ends each second at once on a reading a little early or late, and holds a sub-second one for a closer successor', () => {
    const list = readings(10, 5_000);
    const jittery = run([0, 970, 2040, 2990, 4010].map((t) => list[t / 10]));
    expect(jittery.outcomes).toEqual(['first', 'second', 'second', 'second', 'second']);
    expect(jittery.spans.map((s) => [s.atMs - T0, s.interpolated])).toEqual([
      [970, false],
      [2040, false],
      [2990, false],
      [4010, false],
    ]);
    const fast = run([0, 850, 920, 1010, 1100].map((t) => list[t / 10]));
    expect(fast.outcomes).toEqual(['first', 'early', 'early', 'second', 'early']);
    expect(fast.spans.map((s) => s.atMs - T0)).toEqual([1010]);
  });

  it('ignores duplicates and older readings, and restarts on a counter reset or after a gap', () => {
    const list = readings(1000, 12_000);
    const reset: CallReading = { ...list[5], streams: { audio: { ...list[5].streams.audio!, packetsSent: 3, packetsReceived: 3 } } };
    const { spans, outcomes } = run([list[0], list[1], list[1], list[0], list[2], reset, list[6], list[12]]);
    expect(outcomes).toEqual(['first', 'second', 'duplicate', 'out-of-order', 'second', 'reset', 'second', 'gap']);
    expect(spans.map((s) => s.atMs - T0)).toEqual([1000, 2000, 6000]);
  });

  it('does not interpolate across more than 5.5 s, and measures a stream only where it has counters at both ends', () => {
    expect(run(readings(5600, 11_200)).spans).toEqual([]);
    const audioOnly = readings(1000, 1000);
    const withVideo = readings(1000, 3000)
      .slice(2)
      .map((r) => ({ ...r, streams: { ...r.streams, video: r.streams.audio } }));
    const { spans } = run([...audioOnly, ...withVideo]);
    expect(spans.map((s) => [s.atMs - T0, Object.keys(s.start), Object.keys(s.end)])).toEqual([
      [1000, ['audio'], ['audio']],
      [2000, ['audio'], ['audio', 'video']],
      [3000, ['audio', 'video'], ['audio', 'video']],
    ]);
  });
});
