import type { RunningSystem, ServiceName } from '@softphone/service-testing';
import { isPublished } from '@softphone/contracts';
import { collect, testEnv, testSigningKey, type CollectedMessage } from '@softphone/testing';
import pg from 'pg';
import { SystemClient } from '../src/system.js';

/** A scenario client for the services of a RunningSystem (the test identity provider, the SMTP sink of the test run). */
export function clientOf(system: RunningSystem): SystemClient {
  const urls = system.urls();
  return new SystemClient({
    tenant: urls['tenant-svc'],
    agent: urls['agent-svc'],
    call: urls['call-svc'],
    quality: urls['quality-svc'],
    signingKey: testSigningKey,
    mailApi: testEnv.mailApiUrl,
  });
}

/** The ids of every event a service stored for others to see (its internal events stay in its log), read from its own database. */
export async function storedEventIds(system: RunningSystem, service: ServiceName): Promise<string[]> {
  const client = new pg.Client({ connectionString: system.database(service).url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string; type: string }>('SELECT event_id, type FROM es_events ORDER BY position');
    return rows.filter((row) => isPublished(row.type)).map((row) => row.event_id);
  } finally {
    await client.end();
  }
}

/**
 * Waits until every event a service stored is on its Kafka topic (the outbox
 * relay lost nothing), and returns the envelope ids seen there.
 */
export async function expectEverythingPublished(system: RunningSystem, service: ServiceName, brokers?: string[]): Promise<string[]> {
  const stored = await storedEventIds(system, service);
  const topic = `${system.topicPrefix}softphone.${service.replace('-svc', '')}.events`;
  const ids = (messages: CollectedMessage[]) => new Set(messages.map((m) => (JSON.parse(m.value) as { id: string }).id));
  const messages = await collect(topic, (all) => stored.every((id) => ids(all).has(id)), { brokers, timeoutMs: 60_000 });
  return [...ids(messages)];
}

/** Rows of a query on a service's own database. */
export async function rows<T>(system: RunningSystem, service: ServiceName, text: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: system.database(service).url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}
