import { describe, expect, it } from '@jest/globals';
import { connectionLifetimeMs } from './live-session.policy.js';

describe('live connection lifetime', () => {
  it('ends when the token expires, with the clock tolerance REST accepts', () => {
    expect(connectionLifetimeMs(1_000, 30, 990_000)).toBe(40_000);
    expect(connectionLifetimeMs(1_000, 0, 990_000)).toBe(10_000);
  });

  it('is due at once for a token already past its tolerance', () => {
    expect(connectionLifetimeMs(1_000, 30, 1_031_000)).toBe(0);
  });
});
