import { describe, expect, it } from '@jest/globals';
import { sampleTimeMs } from './sample-time.js';

describe('sampleTimeMs', () => {
  it('is Date.parse, whether the string was the last one or not', () => {
    const stamps = [
      '2026-12-07T23:00:00.000Z',
      '2026-12-07T23:00:00.000Z',
      '2026-12-07T23:00:01.250Z',
      'not a time',
      '2026-12-07T23:00:00.000Z',
    ];
    for (const at of stamps) expect(sampleTimeMs(at)).toEqual(Date.parse(at));
  });
});
