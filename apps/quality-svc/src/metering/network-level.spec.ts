import { describe, expect, it } from '@jest/globals';
import { networkLevel, poorMetrics } from './network-level.js';

const fine = { lossRate: 0, jitterMs: 0, oneWayDelayMs: 0 };

describe('Table 1: network level', () => {
  it.each([
    [0, 'good'],
    [0.000999, 'good'],
    [0.001, 'medium'],
    [0.009999, 'medium'],
    [0.01, 'poor'],
    [0.049999, 'poor'],
    [0.05, 'bad'],
    [1, 'bad'],
  ])('packet loss rate %f is %s', (lossRate, level) => expect(networkLevel({ ...fine, lossRate })).toBe(level));

  it.each([
    [0, 'good'],
    [9.99, 'good'],
    [10, 'medium'],
    [19.99, 'medium'],
    [20, 'poor'],
    [59.99, 'poor'],
    [60, 'bad'],
  ])('jitter %f ms is %s', (jitterMs, level) => expect(networkLevel({ ...fine, jitterMs })).toBe(level));

  it.each([
    [0, 'good'],
    [39.99, 'good'],
    [40, 'medium'],
    [99.99, 'medium'],
    [100, 'poor'],
    [399.99, 'poor'],
    [400, 'bad'],
  ])('one-way delay %f ms is %s', (oneWayDelayMs, level) => expect(networkLevel({ ...fine, oneWayDelayMs })).toBe(level));

  it.each([
    [{ lossRate: 0, jitterMs: 15, oneWayDelayMs: 0 }, 'medium'],
    [{ lossRate: 0.02, jitterMs: 15, oneWayDelayMs: 0 }, 'poor'],
    [{ lossRate: 0.0005, jitterMs: 5, oneWayDelayMs: 450 }, 'bad'],
    [{ lossRate: 0.005, jitterMs: 25, oneWayDelayMs: 20 }, 'poor'],
    [{ lossRate: 0.06, jitterMs: 1, oneWayDelayMs: 1 }, 'bad'],
  ])('the lowest of the three determinations wins: %o is %s', (metrics, level) => expect(networkLevel(metrics)).toBe(level));
});

describe('Table 1 with what is known of a second', () => {
  it.each([
    [{ lossRate: null, jitterMs: 5, oneWayDelayMs: 20 }, 'good'],
    [{ lossRate: null, jitterMs: 25, oneWayDelayMs: 20 }, 'poor'],
    [{ lossRate: null, jitterMs: 5, oneWayDelayMs: 450 }, 'bad'],
    [{ lossRate: 0.02, jitterMs: 5, oneWayDelayMs: null }, 'poor'],
    [{ lossRate: null, jitterMs: 15, oneWayDelayMs: null }, 'medium'],
  ])('a second without packets or RTT is rated by the rest, lowest wins: %o is %s', (metrics, level) =>
    expect(networkLevel(metrics)).toBe(level),
  );

  it.each([
    [{ lossRate: 0.02, jitterMs: 5, oneWayDelayMs: 20 }, ['lossRate']],
    [{ lossRate: 0.009, jitterMs: 20, oneWayDelayMs: 100 }, ['jitterMs', 'oneWayDelayMs']],
    [{ lossRate: null, jitterMs: 19.9, oneWayDelayMs: null }, []],
    [{ lossRate: 1, jitterMs: 60, oneWayDelayMs: 400 }, ['lossRate', 'jitterMs', 'oneWayDelayMs']],
  ])('names the metrics at Poor or worse: %o', (metrics, poor) => expect(poorMetrics(metrics)).toEqual(poor));
});
