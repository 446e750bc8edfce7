import { describe, expect, it } from '@jest/globals';
import { meter, NEW_METER, readingOfSample, type MeteredSecond } from '../metering/call-meter.js';
import { storedStreams, streamsOf } from './stored-streams.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** A gateway call's measured seconds: `received[i]` packets of 50 in second i. */
function seconds(received: number[]): MeteredSecond[] {
  let [r, s] = [0, 0];
  const readings = [readingOfSample({ at: new Date(T0).toISOString(), packetsReceived: 0, packetsSent: 0, jitterMs: 2, rttMs: 30 })];
  received.forEach((n, i) => {
    [r, s] = [r + n, s + 50];
    readings.push(
      readingOfSample({ at: new Date(T0 + (i + 1) * 1000).toISOString(), packetsReceived: r, packetsSent: s, jitterMs: 2, rttMs: 30 }),
    );
  });
  return meter(NEW_METER, readings).seconds;
}

/** What the second's own columns hold (its worst stream). */
const columnsOf = (s: MeteredSecond) => ({ ...s.worst, level: s.level, oneWay: s.flags.includes('one-way') });

describe('a measured second as stored', () => {
  it('keeps no JSON for one stream that is not silent: its columns give it back whole', () => {
    for (const second of seconds([50, 48, 30])) {
      expect(storedStreams(second)).toBeNull();
      expect(streamsOf(null, columnsOf(second))).toEqual(second.streams);
    }
  });

  it('keeps the JSON of a silent stream (its run of silent seconds is in no column)', () => {
    const [, silent] = seconds([50, 0]);
    expect(silent.worst.silentSeconds).toBe(1);
    const stored = storedStreams(silent);
    expect(stored).not.toBeNull();
    expect(streamsOf(JSON.parse(stored!), columnsOf(silent))).toEqual(silent.streams);
  });

  it('keeps the JSON of a second with several streams', () => {
    const [second] = seconds([50]);
    const two = { ...second, streams: [second.worst, { ...second.worst, side: 'remote-receive' as const }] };
    expect(JSON.parse(storedStreams(two)!)).toEqual(two.streams);
  });
});
