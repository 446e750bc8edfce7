import { afterAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@softphone/testing';
import { openDatabase } from './database.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { EVENT_STORE_MIGRATIONS } from './schema.js';
import { START } from './types.js';

describe('EventStoreEnvelopeHead: events stored before it are published as before', () => {
  let db: TestDatabase | undefined;

  afterAll(async () => {
    await db?.drop();
  });

  it('gives each stored event the head the append writes now (the same envelope text)', async () => {
    db = await createTestDatabase('envelope_head');
    const before = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS.slice(0, -1) });
    await before.query(
      `INSERT INTO es_events (stream_id, stream_version, event_id, type, schema_version, occurred_at, tenant_id, correlation_id, causation_id, data)
       VALUES ('call-é-"1"', 1, gen_random_uuid(), 'call.media-changed', 1, '2026-12-07T22:10:16.123Z', 'tenant\\1', 'corr\n1', NULL, '{"callId":"c1"}'),
              ('call-é-"1"', 2, gen_random_uuid(), 'call.media-changed', 1, '2026-12-07T22:10:16.9Z', 't1', 'corr-2', 'cause-😀', '{"callId":"c1","n":[1,null]}')`,
    );
    await before.destroy();
    const after = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS });
    try {
      const store = new PostgresEventStore(after);
      const events = await store.readAll(START, 10);
      const encoded = await store.readAllEncoded(START, 10);
      expect(events).toHaveLength(2);
      expect(encoded.map((e) => e.envelope)).toEqual(events.map(({ position: _p, transactionId: _t, ...envelope }) => JSON.stringify(envelope)));
    } finally {
      await after.destroy();
    }
  });
});
