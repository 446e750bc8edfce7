import { describe, expect, it } from '@jest/globals';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('returns once the assertion passes', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      1_000,
      1,
    );
    expect(value).toBe(3);
  });

  it('rethrows the last failure when time is up', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error(`still failing (${calls})`);
    };
    await expect(eventually(failing, 30, 5)).rejects.toThrow(/^still failing \((\d+)\)$/);
    expect(calls).toBeGreaterThan(1);
  });
});
