import { describe, expect, it } from '@jest/globals';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('runs an item alone at once, and the items submitted meanwhile together, one writer at a time', async () => {
    const runs: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        runs.push(items);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return items.map((n) => n * 10);
      },
      { batch: 3, writers: 1, maxWaiting: 100 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(runs).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('fails only the item whose run fails, once its batch ran item by item', async () => {
    const batcher = new Batcher<number, number>(
      async (items) => {
        if (items.includes(2)) throw new Error('bad item');
        return items;
      },
      { batch: 10, writers: 1, maxWaiting: 100 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('refuses an item (503) once too many wait', async () => {
    const batcher = new Batcher<number, number>(async (items) => new Promise((resolve) => setTimeout(() => resolve(items), 20)), {
      batch: 1,
      writers: 1,
      maxWaiting: 2,
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});
