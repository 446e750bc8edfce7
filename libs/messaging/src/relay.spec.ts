import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase, PostgresEventStore } from '@softphone/event-store';
import { collect, eventually } from '@softphone/testing';
import { OutboxRelay } from './relay.js';
import { mediaChanged, messagingFixture, type MessagingFixture } from '../test/messaging-fixture.js';

const meta = { tenantId: 't1', correlationId: 'c1' };

describe('OutboxRelay', () => {
  let f: MessagingFixture;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    f = await messagingFixture('relay');
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await f?.close();
  });

  it('publishes every event once, each stream in order, keyed by stream, from the leader only', async () => {
    const streams = ['call-a', 'call-b', 'call-c', 'call-d', 'call-e'];
    const perStream = 40;
    // Two instances of the relay: only the one holding the leader lock publishes.
    for (let i = 0; i < 2; i++) {
      const relay = new OutboxRelay(f.store, f.dataSource, f.broker, { name: 'svc', topics: f.topics, batchSize: 37 });
      relays.push(relay);
      relay.start();
    }
    // Concurrent writers, interleaving streams.
    await Promise.all(
      streams.map(async (stream) => {
        for (let v = 0; v < perStream; v++) await f.store.append(stream, v, [mediaChanged(stream, v % 2 === 0)], meta);
      }),
    );
    const total = streams.length * perStream;
    const received = await collect(f.topics.events('call'), (m) => m.length >= total);

    const ids = received.map((m) => JSON.parse(m.value).id);
    expect(new Set(ids).size).toBe(total);
    for (const stream of streams) {
      const ofStream = received.filter((m) => m.key === stream);
      expect(ofStream.map((m) => JSON.parse(m.value).streamVersion)).toEqual(Array.from({ length: perStream }, (_, i) => i + 1));
      expect(new Set(ofStream.map((m) => m.partition)).size).toBe(1);
      expect(ofStream[0].headers['event-type']).toBe('call.media-changed');
    }
    const envelope = JSON.parse(received[0].value);
    expect(envelope).not.toHaveProperty('position');
    expect(envelope).toMatchObject({ tenantId: 't1', correlationId: 'c1', schemaVersion: 1 });
  });
});

describe('OutboxRelay across instances', () => {
  let f: MessagingFixture;
  let other: DataSource;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    f = await messagingFixture('relay_wake');
    other = await openDatabase({ url: f.db.url, migrations: [] });
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await other?.destroy();
    await f?.close();
  });

  it('wakes the leader when another instance commits (NOTIFY after the commit), without waiting for its poll', async () => {
    const hour = 3_600_000;
    const leader = new OutboxRelay(f.store, f.dataSource, f.broker, { name: 'svc', topics: f.topics, pollIntervalMs: hour });
    relays.push(leader);
    leader.start();
    await eventually(async () =>
      expect(await f.store.sql.rows(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN%'`)).toHaveLength(1),
    );
    // A second instance: its own pool and relay (not the leader); its commits reach the leader only by NOTIFY.
    const elsewhere = new PostgresEventStore(other);
    const follower = new OutboxRelay(elsewhere, other, f.broker, { name: 'svc', topics: f.topics, pollIntervalMs: hour });
    relays.push(follower);
    follower.start();
    await elsewhere.append('call-elsewhere', 0, [mediaChanged('call-elsewhere', true)], meta);
    const received = await collect(f.topics.events('call'), (m) => m.some((x) => x.key === 'call-elsewhere'), { timeoutMs: 30_000 });
    expect(received.filter((m) => m.key === 'call-elsewhere')).toHaveLength(1);
  });
});
