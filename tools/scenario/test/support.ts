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
 * relay lost nothing), and returns the envelope ids seen there. Each reading is
 * a fresh consumer group from the topic's start; a reader that stalls (kafkajs
 * can stop fetching one partition after a broker restart) is replaced, up to
 * three readings, and every reading's per-partition progress is in the error.
 */
export async function expectEverythingPublished(system: RunningSystem, service: ServiceName, brokers?: string[]): Promise<string[]> {
  const stored = await storedEventIds(system, service);
  const topic = `${system.topicPrefix}softphone.${service.replace('-svc', '')}.events`;
  const readings: string[] = [];
  for (let reading = 1; reading <= 3; reading++) {
    const seen = new Set<string>();
    let parsed = 0;
    const everyStoredSeen = (all: CollectedMessage[]) => {
      for (; parsed < all.length; parsed++) seen.add((JSON.parse(all[parsed].value) as { id: string }).id);
      return stored.every((id) => seen.has(id));
    };
    try {
      await collect(topic, everyStoredSeen, { brokers, timeoutMs: 30_000 });
      if (readings.length > 0)
        console.warn(`${topic}: read whole on reading ${reading}; earlier readings stalled: ${readings.join(' | ')}`);
      return [...seen];
    } catch (error) {
      readings.push(`${(error as Error).message}; ${stored.filter((id) => !seen.has(id)).length} of ${stored.length} stored not seen`);
    }
  }
  throw new Error(readings.join('\n'));
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
