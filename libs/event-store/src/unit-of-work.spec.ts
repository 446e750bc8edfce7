import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Decider } from '@softphone/decider';
import { ConcurrencyError } from '@softphone/errors';
import { openCountingStore, type CountingStore } from '../test/counting-store.js';
import type { PostgresEventStore } from './postgres-event-store.js';
import { loadStreams } from './unit-of-work.js';

const meta = { tenantId: 't1', correlationId: 'corr-1' };
const changed = {
  type: 'tenant.parameters-changed',
  data: { tenantId: 't1', notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false },
};

/** Counts bumps; 'noop' decides nothing. */
const counter: Decider<'bump' | 'noop', typeof changed, { count: number }> = {
  initialState: { count: 0 },
  decide: (command) => (command === 'bump' ? [changed] : []),
  evolve: (s) => ({ count: s.count + 1 }),
};

describe('UnitOfWork.decideAll: several streams decided and appended together', () => {
  let counting: CountingStore;
  let store: PostgresEventStore;
  const bump = (streamId: string) => ({ streamId, command: 'bump' as const, meta });
  const versions = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.streamVersion);
  const counted = async (streamId: string) =>
    (await store.sql.rows<{ n: number }>('SELECT n FROM stream_counts WHERE stream_id = $1', [streamId]))[0]?.n ?? 0;

  beforeAll(async () => {
    counting = await openCountingStore('unit_of_work');
    store = counting.store;
  });

  afterAll(async () => {
    await counting?.close();
  });

  it('decides each command on its own stream (new or not) and appends them all, with their projections', async () => {
    await store.append('tenant-a', 0, [changed, changed], meta);
    const results = await store.transaction((uow) =>
      uow.decideAll(counter, [bump('tenant-a'), bump('tenant-b'), { streamId: 'tenant-c', command: 'noop', meta }]),
    );
    expect(results.map((r) => r && { state: r.state, version: r.version, versions: r.events.map((e) => e.streamVersion) })).toEqual([
      { state: { count: 3 }, version: 3, versions: [3] },
      { state: { count: 1 }, version: 1, versions: [1] },
      { state: { count: 0 }, version: 0, versions: [] },
    ]);
    expect(await versions('tenant-a')).toEqual([1, 2, 3]);
    expect(await versions('tenant-b')).toEqual([1]);
    expect(await versions('tenant-c')).toEqual([]);
    expect([await counted('tenant-a'), await counted('tenant-b')]).toEqual([3, 1]);
  });

  it('gives null for a stream changed since the snapshot, appends the others, and keeps nothing of the lost one', async () => {
    for (const stream of ['tenant-x', 'tenant-y', 'tenant-z']) await store.append(stream, 0, [changed], meta);
    const results = await store.transaction(async (uow) => {
      await uow.sql.rows('SELECT 1'); // the transaction's snapshot, taken before another writer's append
      await store.append('tenant-y', 1, [changed], meta);
      return uow.decideAll(counter, [bump('tenant-x'), bump('tenant-y'), bump('tenant-z')]);
    });
    expect(results.map((r) => r?.version ?? null)).toEqual([2, null, 2]);
    expect(await versions('tenant-x')).toEqual([1, 2]);
    expect(await versions('tenant-z')).toEqual([1, 2]);
    // tenant-y holds the other writer's event only, counted once.
    const y = await store.readStream('tenant-y');
    expect(y.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(await counted('tenant-y')).toBe(2);
  });

  it('decides on streams loaded earlier (loadStreams, outside the transaction): null for one changed since, even before the snapshot', async () => {
    for (const stream of ['tenant-early-1', 'tenant-early-2']) await store.append(stream, 0, [changed], meta);
    const loaded = await loadStreams(store.sql, ['tenant-early-1', 'tenant-early-2'], counter);
    expect(loaded).toEqual([
      { state: { count: 1 }, version: 1, tenantId: 't1' },
      { state: { count: 1 }, version: 1, tenantId: 't1' },
    ]);
    await store.append('tenant-early-2', 1, [changed], meta);
    const results = await store.transaction((uow) =>
      uow.decideAll(counter, [
        { ...bump('tenant-early-1'), loaded: loaded[0] },
        { ...bump('tenant-early-2'), loaded: loaded[1] },
      ]),
    );
    expect(results.map((r) => r && { state: r.state, version: r.version })).toEqual([{ state: { count: 2 }, version: 2 }, null]);
    expect(await versions('tenant-early-1')).toEqual([1, 2]);
    expect(await versions('tenant-early-2')).toEqual([1, 2]);
    expect(await counted('tenant-early-2')).toBe(2);
  });

  it('appends a stream named twice once: the second command lost to the first', async () => {
    const results = await store.transaction((uow) => uow.decideAll(counter, [bump('tenant-twice'), bump('tenant-twice')]));
    expect(results.map((r) => r?.version ?? null)).toEqual([1, null]);
    expect(await versions('tenant-twice')).toEqual([1]);
    expect(await counted('tenant-twice')).toBe(1);
  });

  it('writes nothing when an event violates its contract', async () => {
    const bad: Decider<'bad', { type: string; data: unknown }, null> = {
      initialState: null,
      decide: () => [{ type: 'tenant.parameters-changed', data: {} }],
      evolve: (s) => s,
    };
    await expect(
      store.transaction(async (uow) => {
        await uow.decideAll(counter, [bump('tenant-bad-1')]);
        return uow.decideAll(bad, [{ streamId: 'tenant-bad-2', command: 'bad', meta }]);
      }),
    ).rejects.toThrow(/violates its contract/);
    expect(await versions('tenant-bad-1')).toEqual([]);
    expect(await versions('tenant-bad-2')).toEqual([]);
  });
});

describe('UnitOfWork.appendTogether and snapshot-aware loadStreams: streams decided together, all or nothing', () => {
  let counting: CountingStore;
  let store: PostgresEventStore;
  const snapshots = { name: 'counter-v1', every: 2 };
  const versions = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.streamVersion);
  const counted = async (streamId: string) =>
    (await store.sql.rows<{ n: number }>('SELECT n FROM stream_counts WHERE stream_id = $1', [streamId]))[0]?.n ?? 0;

  beforeAll(async () => {
    counting = await openCountingStore('unit_of_work_together');
    store = counting.store;
  });

  afterAll(async () => {
    await counting?.close();
  });

  it('loads several streams in one statement, each from its snapshot and the events after it (or none)', async () => {
    await store.append('together-long', 0, [changed, changed, changed], meta);
    await store.append('together-short', 0, [changed], meta);
    await store.transaction((uow) =>
      uow.saveSnapshots(snapshots, [{ streamId: 'together-long', loadedVersion: 0, version: 2, state: { count: 20 } }]),
    );
    // The snapshot's state (marked: 20 for 2 events) plus the event after it; no snapshot: the whole stream.
    expect(await loadStreams(store.sql, ['together-long', 'together-none', 'together-short'], counter, snapshots)).toEqual([
      { state: { count: 21 }, version: 3, tenantId: 't1' },
      { state: { count: 0 }, version: 0, tenantId: null },
      { state: { count: 1 }, version: 1, tenantId: 't1' },
    ]);
    await store.transaction((uow) =>
      uow.saveSnapshots(snapshots, [{ streamId: 'together-long', loadedVersion: 3, version: 4, state: { count: 40 } }]),
    );
    expect(await loadStreams(store.sql, ['together-long'], counter, snapshots)).toEqual([
      { state: { count: 40 }, version: 4, tenantId: 't1' },
    ]);
  });

  it('keeps only the snapshots due: a stream that crossed a multiple of `every`', async () => {
    await store.transaction((uow) =>
      uow.saveSnapshots(snapshots, [
        { streamId: 'together-due', loadedVersion: 1, version: 2, state: { count: 2 } },
        { streamId: 'together-not-due', loadedVersion: 2, version: 3, state: { count: 3 } },
      ]),
    );
    const kept = await store.sql.rows<{ stream_id: string }>(`SELECT stream_id FROM es_snapshots WHERE stream_id LIKE 'together-%due'`);
    expect(kept.map((r) => r.stream_id)).toEqual(['together-due']);
  });

  it('appends every stream in one statement, with their projections', async () => {
    await store.append('together-a', 0, [changed], meta);
    const recorded = await store.transaction((uow) =>
      uow.appendTogether([
        { streamId: 'together-a', expectedVersion: 1, events: [changed], meta },
        { streamId: 'together-b', expectedVersion: 0, events: [changed, changed], meta },
        { streamId: 'together-c', expectedVersion: 0, events: [], meta },
      ]),
    );
    expect(recorded.map((events) => events.map((e) => e.streamVersion))).toEqual([[2], [1, 2], []]);
    expect([await counted('together-a'), await counted('together-b')]).toEqual([2, 2]);
  });

  it('gives up the whole transaction when one stream changed since its snapshot, then runs it again: nothing half-written', async () => {
    for (const stream of ['together-x', 'together-y']) await store.append(stream, 0, [changed], meta);
    let attempts = 0;
    const recorded = await store.transaction(async (uow) => {
      attempts++;
      const loaded = await loadStreams(uow.sql, ['together-x', 'together-y'], counter);
      // Another writer appends to together-y after this transaction's snapshot, on the first attempt only.
      if (attempts === 1) await store.append('together-y', 1, [changed], meta);
      return uow.appendTogether(
        ['together-x', 'together-y'].map((streamId, i) => ({ streamId, expectedVersion: loaded[i].version, events: [changed], meta })),
      );
    });
    expect(attempts).toBe(2);
    expect(recorded.map((events) => events.map((e) => e.streamVersion))).toEqual([[2], [3]]);
    // together-x got one event from this work, not two: the first attempt's append of it was given up with the rest.
    expect(await versions('together-x')).toEqual([1, 2]);
    expect(await versions('together-y')).toEqual([1, 2, 3]);
    expect([await counted('together-x'), await counted('together-y')]).toEqual([2, 3]);
  });

  it('throws a ConcurrencyError once the runs are spent, and keeps nothing of any stream', async () => {
    for (const stream of ['together-p', 'together-q']) await store.append(stream, 0, [changed], meta);
    await expect(
      store.transaction((uow) =>
        uow.appendTogether([
          { streamId: 'together-p', expectedVersion: 1, events: [changed], meta },
          { streamId: 'together-q', expectedVersion: 0, events: [changed], meta },
        ]),
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await versions('together-p')).toEqual([1]);
    expect(await versions('together-q')).toEqual([1]);
    expect([await counted('together-p'), await counted('together-q')]).toEqual([1, 1]);
  });
});

describe('UnitOfWork.decide: the tenant of the stream, for a guard', () => {
  let counting: CountingStore;
  let store: PostgresEventStore;
  const refuseOtherTenants = (tenantId: string) => (loaded: { tenantId: string | null }) => {
    if (loaded.tenantId !== tenantId) throw new Error(`not found in ${tenantId}`);
  };

  beforeAll(async () => {
    counting = await openCountingStore('unit_of_work_guard');
    store = counting.store;
  });

  afterAll(async () => {
    await counting?.close();
  });

  it('loads the tenant that started the stream, with or without a snapshot (null for a stream not started)', async () => {
    await store.append('tenant-owned', 0, [changed, changed, changed], meta);
    const loaded = await store.transaction(async (uow) => [
      await uow.load('tenant-owned', counter),
      await uow.load('tenant-owned', counter, { name: 'counter-v1', every: 2 }),
      await uow.load('tenant-none', counter, { name: 'counter-v1', every: 2 }),
    ]);
    expect(loaded.map((l) => l.tenantId)).toEqual(['t1', 't1', null]);
    await store.transaction((uow) => uow.decide('tenant-owned', counter, 'bump', meta, { name: 'counter-v1', every: 2 }));
    const afterSnapshot = await store.transaction((uow) => uow.load('tenant-owned', counter, { name: 'counter-v1', every: 2 }));
    expect(afterSnapshot).toEqual({ state: { count: 4 }, version: 4, tenantId: 't1' });
  });

  it('decides nothing when the guard refuses the loaded stream', async () => {
    await store.append('tenant-guarded', 0, [changed], meta);
    await expect(
      store.transaction((uow) =>
        uow.decide('tenant-guarded', counter, 'bump', { ...meta, tenantId: 't2' }, undefined, refuseOtherTenants('t2')),
      ),
    ).rejects.toThrow('not found in t2');
    await store.transaction((uow) => uow.decide('tenant-guarded', counter, 'bump', meta, undefined, refuseOtherTenants('t1')));
    expect((await store.readStream('tenant-guarded')).map((e) => e.tenantId)).toEqual(['t1', 't1']);
  });
});
