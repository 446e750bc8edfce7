import { Kafka, logLevel } from 'kafkajs';
import { testEnv } from './environment.js';
import { uniqueName } from './names.js';

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** A topic prefix of its own for one test file. */
export function uniqueTopicPrefix(label: string): string {
  return `${uniqueName(label)}.`;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group, straight
 * through kafkajs (the test's own view of the broker, independent of the
 * code under test), until `until` is satisfied by what arrived.
 */
export async function collect(
  topic: string,
  until: (messages: CollectedMessage[]) => boolean,
  options: { brokers?: string[]; timeoutMs?: number } = {},
): Promise<CollectedMessage[]> {
  const kafka = new Kafka({ clientId: 'test-collector', brokers: options.brokers ?? testEnv.kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
  const messages: CollectedMessage[] = [];
  const seen = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`collect(${topic}): condition not met after ${messages.length} messages`)),
        options.timeoutMs ?? 60_000,
      );
      void consumer.run({
        eachMessage: async ({ topic: t, partition, message }) => {
          // A rebalance of the collector's own group may hand it an offset again: count each offset once.
          if (seen.has(`${t}/${partition}/${message.offset}`)) return;
          seen.add(`${t}/${partition}/${message.offset}`);
          messages.push({
            topic: t,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          });
          if (until(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
