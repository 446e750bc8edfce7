import { describe, expect, it } from '@jest/globals';
import { ChangeWaiters } from './change-waiters.js';

describe('change waiters', () => {
  it('wakes every wait on a changed key, and only those', async () => {
    const waiters = new ChangeWaiters(10);
    const a1 = waiters.register('a', 60_000)!;
    const a2 = waiters.register('a', 60_000)!;
    const b = waiters.register('b', 60_000)!;
    waiters.wake(['a', 'c']);
    expect(await a1.changed).toBe(true);
    expect(await a2.changed).toBe(true);
    expect(waiters.size).toBe(1);
    b.cancel();
    expect(await b.changed).toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('ends a wait unchanged when its time runs out, and a later change does not revive it', async () => {
    const waiters = new ChangeWaiters(10);
    const waiter = waiters.register('a', 1)!;
    expect(await waiter.changed).toBe(false);
    waiters.wake(['a']);
    expect(await waiter.changed).toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('registers no more than its bound, and frees a place when a wait ends', () => {
    const waiters = new ChangeWaiters(2);
    const first = waiters.register('a', 60_000)!;
    waiters.register('b', 60_000);
    expect(waiters.register('c', 60_000)).toBeUndefined();
    first.cancel();
    expect(waiters.register('c', 60_000)).toBeDefined();
    waiters.cancelAll();
    expect(waiters.size).toBe(0);
  });

  it('hands each wait the value its key changed to, and none to a wait that ended unchanged', async () => {
    const waiters = new ChangeWaiters<string>(10);
    const a = waiters.register('a', 60_000)!;
    const b = waiters.register('b', 60_000)!;
    const c = waiters.register('c', 60_000)!;
    expect(waiters.has('a')).toBe(true);
    waiters.wake(['a', 'b'], (key) => (key === 'a' ? 'a2' : undefined));
    expect([await a.changed, a.value]).toEqual([true, 'a2']);
    expect([await b.changed, b.value]).toEqual([true, undefined]);
    expect(waiters.has('a')).toBe(false);
    c.cancel();
    expect([await c.changed, c.value]).toEqual([false, undefined]);
  });
});
