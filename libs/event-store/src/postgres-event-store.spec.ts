import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ConcurrencyError } from '@softphone/errors';
import type { Decider } from '@softphone/decider';
import { eventually } from '@softphone/testing';
import { openCountingStore, type CountingStore } from '../test/counting-store.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { START, type Checkpoint, type RecordedEvent } from './types.js';

const meta = { tenantId: 't1', correlationId: 'corr-1' };
const params = (notify: boolean) => ({
  type: 'tenant.parameters-changed',
  data: { tenantId: 't1', notifyOuManagersOnPoorNetwork: notify, softphoneUnifiedAuthentication: false },
});

function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function drain(store: PostgresEventStore, from: Checkpoint): Promise<{ events: RecordedEvent[]; next: Checkpoint }> {
  const events = await store.readAll(from, 1000);
  const last = events.at(-1);
  return { events, next: last ? { transactionId: last.transactionId, position: last.position } : from };
}

/**
 * Reads until `count` events arrived. Readers wait for every transaction older
 * than the events to end, and other databases of the same server (other test
 * files) count too: the events become visible soon, not necessarily at once.
 */
async function drainAtLeast(store: PostgresEventStore, from: Checkpoint, count: number, streamPrefix: string) {
  const events: RecordedEvent[] = [];
  let next = from;
  await eventually(
    async () => {
      const page = await drain(store, next);
      events.push(...page.events.filter((e) => e.streamId.startsWith(streamPrefix)));
      next = page.next;
      expect(events.length).toBeGreaterThanOrEqual(count);
    },
    20_000,
    20,
  );
  return { events, next };
}

describe('PostgresEventStore', () => {
  let counting: CountingStore;
  let dataSource: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    counting = await openCountingStore('event_store');
    ({ dataSource, store } = counting);
  });

  afterAll(async () => {
    await counting?.close();
  });

  it('appends to a stream and reads it back with a complete envelope', async () => {
    const [recorded] = await store.append('tenant-a', 0, [params(true)], { ...meta, causationId: 'cause-1' });
    expect(recorded).toMatchObject({
      type: 'tenant.parameters-changed',
      schemaVersion: 1,
      tenantId: 't1',
      streamId: 'tenant-a',
      streamVersion: 1,
      correlationId: 'corr-1',
      causationId: 'cause-1',
    });
    const stream = await store.readStream('tenant-a');
    expect(stream).toEqual([recorded]);
    expect(Date.parse(stream[0].occurredAt)).not.toBeNaN();
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    await store.append('tenant-race', 0, [params(true)], meta);
    for (let round = 0; round < 10; round++) {
      const version = round + 1;
      const results = await Promise.allSettled([
        store.append('tenant-race', version, [params(true)], meta),
        store.append('tenant-race', version, [params(false)], meta),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(ConcurrencyError);
    }
    const versions = (await store.readStream('tenant-race')).map((e) => e.streamVersion);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('refuses a new stream append when the stream already exists, and a gap', async () => {
    await store.append('tenant-gap', 0, [params(true)], meta);
    await expect(store.append('tenant-gap', 0, [params(true)], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('tenant-gap', 5, [params(true)], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('tenant-gap')).toHaveLength(1);
  });

  it('refuses an event that violates its contract and writes nothing', async () => {
    await expect(store.append('tenant-bad', 0, [{ type: 'tenant.parameters-changed', data: { tenantId: 't1' } }], meta)).rejects.toThrow(
      /violates its contract/,
    );
    await expect(store.append('tenant-bad', 0, [{ type: 'tenant.nope', data: {} }], meta)).rejects.toThrow(/not in the event catalog/);
    expect(await store.readStream('tenant-bad')).toEqual([]);
  });

  it('never skips an event whose transaction commits after a later-numbered one', async () => {
    const { next: before } = await drain(store, START);
    const holdFirst = latch();
    const firstAppended = latch();
    // T1 takes the lower position and stays open.
    const t1 = store.transaction(async (uow) => {
      await uow.append('tenant-late-1', 0, [params(true)], meta);
      firstAppended.open();
      await holdFirst.opened;
    });
    await firstAppended.opened;
    // T2 takes a higher position and commits first.
    const [second] = await store.append('tenant-late-2', 0, [params(false)], meta);
    const whileT1Open = await drain(store, before);
    expect(whileT1Open.events.map((e) => e.streamId)).not.toContain('tenant-late-2');
    holdFirst.open();
    await t1;
    const afterBoth = await drainAtLeast(store, whileT1Open.next, 2, 'tenant-late-');
    const ids = afterBoth.events.map((e) => e.streamId);
    expect(ids).toEqual(['tenant-late-1', 'tenant-late-2']);
    const [first] = await store.readStream('tenant-late-1');
    expect(BigInt(first.position)).toBeLessThan(BigInt(second.position));
    expect((await drain(store, afterBoth.next)).events.filter((e) => e.streamId.startsWith('tenant-late-'))).toEqual([]);
  });

  it('delivers each event once when the transaction that wrote first commits last', async () => {
    const { next: before } = await drain(store, START);
    const holdEarly = latch();
    const earlyStarted = latch();
    // T1 gets its transaction id first (a first write), appends last, commits last.
    const t1 = store.transaction(async (uow) => {
      await uow.sql.execute(`INSERT INTO stream_counts (stream_id, n) VALUES ('marker', 0) ON CONFLICT DO NOTHING`);
      earlyStarted.open();
      await holdEarly.opened;
      await uow.append('tenant-inv-1', 0, [params(true)], meta);
    });
    await earlyStarted.opened;
    await store.append('tenant-inv-2', 0, [params(true)], meta);
    expect((await drain(store, before)).events.filter((e) => e.streamId.startsWith('tenant-inv-'))).toEqual([]);
    holdEarly.open();
    await t1;
    const seen = await drainAtLeast(store, before, 2, 'tenant-inv-');
    expect(seen.events.map((e) => e.streamId).sort()).toEqual(['tenant-inv-1', 'tenant-inv-2']);
    expect((await drain(store, seen.next)).events.filter((e) => e.streamId.startsWith('tenant-inv-'))).toEqual([]);
  });

  it('pages through a large transaction in numeric order, every event once', async () => {
    const { next: before } = await drain(store, START);
    // One append of 150 events: positions cross a power of ten inside one transaction.
    await store.append(
      'tenant-big',
      0,
      Array.from({ length: 150 }, (_, i) => params(i % 2 === 0)),
      meta,
    );
    await drainAtLeast(store, before, 150, 'tenant-big');
    const seen: RecordedEvent[] = [];
    for (let from = before; ;) {
      const page = await store.readAll(from, 7);
      if (page.length === 0) break;
      seen.push(...page.filter((e) => e.streamId === 'tenant-big'));
      from = page[page.length - 1];
    }
    expect(seen.map((e) => e.streamVersion)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const encoded: string[] = [];
    for (let from = before; ;) {
      const page = await store.readAllEncoded(from, 11);
      if (page.length === 0) break;
      encoded.push(...page.filter((e) => e.streamId === 'tenant-big').map((e) => e.envelope));
      from = page[page.length - 1];
    }
    // The same text as each envelope serialised, byte for byte.
    expect(encoded).toEqual(seen.map(({ position: _p, transactionId: _t, ...envelope }) => JSON.stringify(envelope)));
  });

  it('keeps inline projections in the same transaction and rebuilds them by replay', async () => {
    await store.append('tenant-proj', 0, [params(true), params(false)], meta);
    await expect(
      store.transaction(async (uow) => {
        await uow.append('tenant-proj', 2, [params(true)], meta);
        throw new Error('abort after the append');
      }),
    ).rejects.toThrow('abort after the append');
    const count = async () => (await store.sql.rows<{ n: number }>(`SELECT n FROM stream_counts WHERE stream_id = 'tenant-proj'`))[0]?.n;
    expect(await count()).toBe(2);
    expect(await store.readStream('tenant-proj')).toHaveLength(2);
    await store.sql.execute(`UPDATE stream_counts SET n = 99`);
    await store.rebuild('stream-counts');
    expect(await count()).toBe(2);
    const [race] = await store.sql.rows<{ n: number }>(`SELECT n FROM stream_counts WHERE stream_id = 'tenant-race'`);
    expect(race.n).toBe(11);
  });

  it('retries a unit of work that lost a race, re-deciding on fresh state', async () => {
    type S = { count: number };
    const counter: Decider<'bump', ReturnType<typeof params>, S> = {
      initialState: { count: 0 },
      decide: () => [params(true)],
      evolve: (s) => ({ count: s.count + 1 }),
    };
    // Each round of the race has one winner, so 8 writers need at most 8 attempts.
    const patient = new PostgresEventStore(dataSource, { maxAttempts: 8 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => patient.transaction((uow) => uow.decide('tenant-retry', counter, 'bump', meta))),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('loads a long stream from its snapshot plus the events after it', async () => {
    type S = { count: number };
    const counter: Decider<'bump', ReturnType<typeof params>, S> = {
      initialState: { count: 0 },
      decide: () => [params(true)],
      evolve: (s) => ({ count: s.count + 1 }),
    };
    const policy = { name: 'counter-v1', every: 3 };
    for (let i = 0; i < 7; i++) await store.transaction((uow) => uow.decide('tenant-snap', counter, 'bump', meta, policy));
    const [snapshot] = await store.sql.rows<{ version: number; state: S }>(
      `SELECT version, state FROM es_snapshots WHERE stream_id = 'tenant-snap'`,
    );
    expect(snapshot).toEqual({ version: 6, state: { count: 6 } });
    const loaded = await store.transaction((uow) => uow.load('tenant-snap', counter, policy));
    expect(loaded).toEqual({ state: { count: 7 }, version: 7, tenantId: 't1' });
    // The state comes from the snapshot (marked here), not from replaying the stream; also with no event after it.
    await store.sql.execute(`UPDATE es_snapshots SET state = '{"count": 60}' WHERE stream_id = 'tenant-snap'`);
    expect(await store.transaction((uow) => uow.load('tenant-snap', counter, policy))).toEqual({
      state: { count: 61 },
      version: 7,
      tenantId: 't1',
    });
    for (let i = 0; i < 6; i++) await store.transaction((uow) => uow.decide('tenant-snap-head', counter, 'bump', meta, policy));
    await store.sql.execute(`UPDATE es_snapshots SET state = '{"count": 60}' WHERE stream_id = 'tenant-snap-head'`);
    expect(await store.transaction((uow) => uow.load('tenant-snap-head', counter, policy))).toEqual({
      state: { count: 60 },
      version: 6,
      tenantId: 't1',
    });
    expect(await store.transaction((uow) => uow.load('tenant-snap-none', counter, policy))).toEqual({
      state: { count: 0 },
      version: 0,
      tenantId: null,
    });
  });
});
