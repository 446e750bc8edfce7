import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaSecurity, provisionEnvironment, provisionGateway, type KafkaCredentials } from '@softphone/kafka-access';
import { testEnv } from './environment.js';
import { kafkaCredentials as localCredentials } from '#infra/kafka';
import { uniqueName } from './names.js';

/**
 * The SASL credentials of a principal of the test broker (the machine's
 * development credentials, scripts/infra/kafka.mjs): `admin`, a service
 * (`tenant-svc`, ...) or a test gateway (`gateway-1`, `gateway-2`).
 */
export async function kafkaCredentials(principal: string): Promise<KafkaCredentials> {
  const password = localCredentials()[principal];
  if (!password) throw new Error(`the test broker has no principal ${principal}`);
  return { mechanism: 'scram-sha-512', username: principal, password };
}

/** A kafkajs client authenticated as a principal (admin: the test's own view of the broker). */
export async function testKafka(principal = 'admin', brokers = testEnv.kafkaBrokers, extra: Partial<KafkaConfig> = {}): Promise<Kafka> {
  return new Kafka({
    clientId: `test-${principal}`,
    brokers,
    ...kafkaSecurity({ credentials: await kafkaCredentials(principal) }),
    logLevel: logLevel.NOTHING,
    ...extra,
  });
}

/** The environment variables a service under test authenticates to Kafka with (its own principal). */
export async function kafkaEnvOf(service: string): Promise<Record<string, string>> {
  const { username, password } = await kafkaCredentials(service);
  return { KAFKA_USERNAME: username, KAFKA_PASSWORD: password };
}

const provisioned = new Map<string, Promise<void>>();

/**
 * Provisions a test file's environment (topic prefix) as production's
 * provisioning does: its events topics and every service principal's ACLs,
 * once per prefix and broker (cheap: one admin connection, no JVM).
 */
export function provisionTestKafka(prefix: string, brokers = testEnv.kafkaBrokers, partitions = 3): Promise<void> {
  const key = `${brokers.join(',')}|${prefix}`;
  let done = provisioned.get(key);
  if (!done) {
    done = kafkaCredentials('admin').then((credentials) => provisionEnvironment({ brokers, credentials }, { prefix, partitions }));
    done.catch(() => provisioned.delete(key));
    provisioned.set(key, done);
  }
  return done;
}

/** Binds a test gateway principal to a tenant: the tenant's samples topic, writable by that gateway only. */
export async function bindTestGateway(
  prefix: string,
  tenantId: string,
  principal = 'gateway-1',
  brokers = testEnv.kafkaBrokers,
  partitions = 3,
): Promise<void> {
  const credentials = await kafkaCredentials('admin');
  await provisionGateway({ brokers, credentials }, { prefix, principal, tenantId, partitions });
}

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

/** Per partition: messages collected / the partition's end offset (tells a slow reader from a missing message). */
async function describeReading(kafka: Kafka, topic: string, messages: CollectedMessage[]): Promise<string> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    return ends
      .map(({ partition, low, high }) => {
        const read = messages.filter((m) => m.partition === partition).length;
        return `p${partition}: read ${read} of offsets ${low}..${high}`;
      })
      .join(', ');
  } catch (error) {
    return `partition ends unknown (${(error as Error).message})`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
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
  const kafka = await testKafka('admin', options.brokers);
  const consumer = kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
  const messages: CollectedMessage[] = [];
  const seen = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          void describeReading(kafka, topic, messages).then((reading) =>
            reject(new Error(`collect(${topic}): condition not met after ${messages.length} messages; ${reading}`)),
          ),
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
