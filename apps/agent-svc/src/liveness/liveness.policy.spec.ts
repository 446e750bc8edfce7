import { describe, expect, it } from '@jest/globals';
import { staleAt } from './liveness.policy.js';

describe('liveness policy', () => {
  it('calls a heartbeat stale after three periods', () => {
    // Issue 10: "an agent whose heartbeat is stale for 3 periods is not routable".
    expect(staleAt(1_000, 10)).toBe(31_000);
    expect(staleAt(1_000, 1)).toBe(4_000);
  });
});
