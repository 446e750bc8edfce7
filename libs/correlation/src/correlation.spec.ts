import { describe, expect, it } from '@jest/globals';
import { currentCorrelation, withCorrelation } from './correlation.js';

describe('correlation scope', () => {
  it('follows async work started inside it, and only that work', async () => {
    const seen: Array<string | undefined> = [];
    await Promise.all([
      withCorrelation({ correlationId: 'a' }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(currentCorrelation()?.correlationId);
      }),
      withCorrelation({ correlationId: 'b' }, async () => {
        await new Promise((r) => setTimeout(r, 1));
        seen.push(currentCorrelation()?.correlationId);
      }),
    ]);
    expect(seen).toEqual(['b', 'a']);
    expect(currentCorrelation()).toBeUndefined();
  });
});
