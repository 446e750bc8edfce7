import { describe, expect, it } from '@jest/globals';
import { delayImpairment, estimateMos, lossImpairment, mosFromR } from './mos.js';

describe('estimated MOS (simplified G.107 E-model)', () => {
  it.each([
    [0, 1],
    [6.5, 1],
    [50, 2.575],
    [80, 4.024],
    [93.2, 4.409285824],
    [100, 4.5],
    [120, 4.5],
    [-10, 1],
  ])('R = %f gives MOS %f', (r, mos) => expect(mosFromR(r)).toBeCloseTo(mos, 9));

  it.each([
    [0, 0],
    [100, 2.4],
    [177.3, 4.2552],
    [277.3, 17.6552],
  ])('a mouth-to-ear delay of %f ms impairs R by %f', (delayMs, id) => expect(delayImpairment(delayMs)).toBeCloseTo(id, 9));

  it.each([
    [0, 0],
    [0.01, 3.639846743],
    [0.05, 15.780730897],
    [1, 75.939248601],
  ])('a loss rate of %f impairs R by %f', (lossRate, ie) => expect(lossImpairment(lossRate)).toBeCloseTo(ie, 3));

  it.each([
    [{ lossRate: 0, jitterMs: 0, oneWayDelayMs: 0 }, 4.4],
    [{ lossRate: 0.0009, jitterMs: 9, oneWayDelayMs: 39 }, 4.37],
    [{ lossRate: 0.01, jitterMs: 20, oneWayDelayMs: 100 }, 4.23],
    [{ lossRate: 0.02, jitterMs: 0, oneWayDelayMs: 20 }, 4.21],
    [{ lossRate: 0, jitterMs: 0, oneWayDelayMs: 150 }, 4.32],
    [{ lossRate: 0.05, jitterMs: 60, oneWayDelayMs: 400 }, 1.45],
    [{ lossRate: 1, jitterMs: 0, oneWayDelayMs: 0 }, 1.17],
    [{ lossRate: 0.2, jitterMs: 100, oneWayDelayMs: 800 }, 1],
  ])('%o is MOS %f', (metrics, mos) => expect(estimateMos(metrics)).toBe(mos));

  it('never rises when loss, jitter or delay grow', () => {
    let previous = 5;
    for (let step = 0; step <= 40; step++) {
      const mos = estimateMos({ lossRate: step / 400, jitterMs: step * 2, oneWayDelayMs: step * 15 });
      expect(mos).toBeLessThanOrEqual(previous);
      previous = mos;
    }
  });
});
