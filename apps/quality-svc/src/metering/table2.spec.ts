import { describe, expect, it } from '@jest/globals';
import { networkLevel } from './table1.js';
import { measureSecond, relate, type Reading } from './table2.js';

const reading = (atMs: number, packetsReceived: number, packetsSent: number, jitterMs = 3, rttMs = 40): Reading => ({
  atMs,
  packetsReceived,
  packetsSent,
  jitterMs,
  rttMs,
});

describe('Table 2: one second from the counters now and 1 s ago', () => {
  it.each([
    // received before, sent before, received now, sent now -> received in 1 s, sent in 1 s, loss rate
    [1000, 1000, 1050, 1050, 50, 50, 0],
    [1000, 1000, 1049, 1050, 49, 50, 0.02],
    [0, 0, 9990, 10000, 9990, 10000, 0.001],
    [0, 0, 9991, 10000, 9991, 10000, 0.0009],
    [500, 500, 500, 550, 0, 50, 1],
    [1000, 1000, 1052, 1050, 52, 50, 0],
  ])('counters %i/%i then %i/%i: %i received, %i sent, loss %f', (r0, s0, r1, s1, received, sent, lossRate) => {
    const second = measureSecond(reading(0, r0, s0), reading(1000, r1, s1));
    expect(second).toMatchObject({ atMs: 1000, packetsReceived: received, packetsSent: sent });
    expect(second.lossRate).toBeCloseTo(lossRate, 12);
  });

  it('has no loss rate in a second without traffic (nothing sent: 0/0 is not a rate)', () => {
    expect(measureSecond(reading(0, 700, 700), reading(1000, 700, 700)).lossRate).toBeNull();
  });

  it('takes the local receive jitter as jitter and half the round-trip time as one-way delay', () => {
    expect(measureSecond(reading(0, 0, 0), reading(1000, 50, 50, 12.5, 90))).toMatchObject({ jitterMs: 12.5, oneWayDelayMs: 45 });
  });

  it.each([
    [9990, 'medium'],
    [9991, 'good'],
    [9900, 'poor'],
    [9901, 'medium'],
    [9500, 'bad'],
    [9501, 'poor'],
  ])('packet counts give exact loss bounds: %i of 10000 received is %s', (received, level) => {
    const second = measureSecond(reading(0, 0, 0, 0, 0), reading(1000, received, 10000, 0, 0));
    expect(networkLevel({ ...second, lossRate: second.lossRate! })).toBe(level);
  });

  it.each([
    [79.98, 'good'],
    [80, 'medium'],
    [199.98, 'medium'],
    [200, 'poor'],
    [799.98, 'poor'],
    [800, 'bad'],
  ])('one-way delay bounds through RTT / 2: RTT %f ms is %s', (rttMs, level) => {
    const second = measureSecond(reading(0, 0, 0, 0, 0), reading(1000, 50, 50, 0, rttMs));
    expect(networkLevel({ ...second, lossRate: second.lossRate! })).toBe(level);
  });
});

describe('which reading is "1 s ago"', () => {
  const base = reading(10_000, 100, 100);
  it.each([
    ['no baseline', null, reading(10_000, 1, 1), 'first'],
    ['same instant (a redelivery)', base, reading(10_000, 100, 100), 'duplicate'],
    ['older than the baseline', base, reading(9_000, 50, 50), 'out-of-order'],
    ['749 ms later', base, reading(10_749, 130, 130), 'early'],
    ['750 ms later', base, reading(10_750, 130, 130), 'one-second'],
    ['1 s later', base, reading(11_000, 150, 150), 'one-second'],
    ['1250 ms later', base, reading(11_250, 160, 160), 'one-second'],
    ['1251 ms later', base, reading(11_251, 160, 160), 'gap'],
    ['5 s later', base, reading(15_000, 350, 350), 'gap'],
    ['received counter went down', base, reading(11_000, 20, 150), 'reset'],
    ['sent counter went down', base, reading(11_000, 150, 20), 'reset'],
    ['counters went down after a gap', base, reading(20_000, 20, 20), 'reset'],
  ])('%s: %s', (_name, baseline, next, relation) => expect(relate(baseline, next)).toBe(relation));
});
