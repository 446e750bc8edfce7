import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { topics, type Topics } from '@softphone/contracts';
import { EVENT_STORE_MIGRATIONS, openDatabase, PostgresEventStore } from '@softphone/event-store';
import { createTestDatabase, kafkaCredentials, testEnv, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { InboxSchema1732400000001 } from '../src/inbox-schema.js';
import { KafkaBroker } from '../src/kafka-broker.js';

export interface MessagingFixture {
  db: TestDatabase;
  dataSource: DataSource;
  store: PostgresEventStore;
  broker: KafkaBroker;
  topics: Topics;
  close(): Promise<void>;
}

/** A database with the store and inbox, a broker client and topics of the test file's own. */
export async function messagingFixture(label: string, brokers = testEnv.kafkaBrokers): Promise<MessagingFixture> {
  const db = await createTestDatabase(label);
  const dataSource = await openDatabase({ url: db.url, migrations: [...EVENT_STORE_MIGRATIONS, InboxSchema1732400000001] });
  const store = new PostgresEventStore(dataSource);
  const broker = new KafkaBroker({ brokers, clientId: label, credentials: await kafkaCredentials('admin') });
  const t = topics(uniqueTopicPrefix(label));
  await broker.ensureTopics([...t.all(), t.deadLetter('group')], 3);
  return {
    db,
    dataSource,
    store,
    broker,
    topics: t,
    async close() {
      await broker.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** A valid call.media-changed event: small, and on the call topic. */
export function mediaChanged(callId: string, muted: boolean) {
  return {
    type: 'call.media-changed',
    data: { callId, change: muted ? 'muted' : 'unmuted', media: { mode: 'voice', muted, cameraOn: false, screenShare: null } },
  };
}

export function envelopeOf(event: { type: string; data: unknown }, streamId: string, streamVersion = 1) {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    tenantId: 't1',
    streamId,
    streamVersion,
    correlationId: randomUUID(),
    causationId: null,
    data: event.data,
  };
}
