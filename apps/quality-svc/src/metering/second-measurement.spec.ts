import { describe, expect, it } from '@jest/globals';
import { networkLevel } from './network-level.js';
import { countersWentDown, measureSecond } from './second-measurement.js';

const at = (packetsReceived: number, packetsSent: number) => ({ packetsReceived, packetsSent });
const gauges = (jitterMs = 3, rttMs: number | null = 40) => ({ jitterMs, rttMs });

describe('Table 2: one second from the counters 1 s ago and now', () => {
  it.each([
    // received before, sent before, received now, sent now -> received in 1 s, sent in 1 s, loss rate
    [1000, 1000, 1050, 1050, 50, 50, 0],
    [1000, 1000, 1049, 1050, 49, 50, 0.02],
    [0, 0, 9990, 10000, 9990, 10000, 0.001],
    [0, 0, 9991, 10000, 9991, 10000, 0.0009],
    [500, 500, 500, 550, 0, 50, 1],
    [1000, 1000, 1052, 1050, 52, 50, 0],
  ])('counters %i/%i then %i/%i: %i received, %i sent, loss %f', (r0, s0, r1, s1, received, sent, lossRate) => {
    const second = measureSecond(at(r0, s0), at(r1, s1), gauges());
    expect(second).toMatchObject({ packetsReceived: received, packetsSent: sent });
    expect(second.lossRate).toBeCloseTo(lossRate, 12);
  });

  it('has no loss rate in a second without traffic (nothing sent: 0/0 is not a rate)', () => {
    expect(measureSecond(at(700, 700), at(700, 700), gauges()).lossRate).toBeNull();
  });

  it('takes the local receive jitter as jitter and half the round-trip time as one-way delay (none before an RTT)', () => {
    expect(measureSecond(at(0, 0), at(50, 50), gauges(12.5, 90))).toMatchObject({ jitterMs: 12.5, oneWayDelayMs: 45 });
    expect(measureSecond(at(0, 0), at(50, 50), gauges(12.5, null)).oneWayDelayMs).toBeNull();
  });

  it.each([
    [9990, 'medium'],
    [9991, 'good'],
    [9900, 'poor'],
    [9901, 'medium'],
    [9500, 'bad'],
    [9501, 'poor'],
  ])('packet counts give exact loss bounds: %i of 10000 received is %s', (received, level) => {
    expect(networkLevel(measureSecond(at(0, 0), at(received, 10000), gauges(0, 0)))).toBe(level);
  });

  it.each([
    [79.98, 'good'],
    [80, 'medium'],
    [199.98, 'medium'],
    [200, 'poor'],
    [799.98, 'poor'],
    [800, 'bad'],
  ])('one-way delay bounds through RTT / 2: RTT %f ms is %s', (rttMs, level) => {
    expect(networkLevel(measureSecond(at(0, 0), at(50, 50), gauges(0, rttMs)))).toBe(level);
  });

  it('sees a counter going down as a new media session', () => {
    expect(countersWentDown(at(10, 10), at(9, 11))).toBe(true);
    expect(countersWentDown(at(10, 10), at(11, 9))).toBe(true);
    expect(countersWentDown(at(10, 10), at(10, 10))).toBe(false);
  });
});
