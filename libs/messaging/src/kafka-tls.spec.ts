import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, kafkaCredentials, startPrivateKafka, uniqueTopicPrefix, type PrivateKafka } from '@softphone/testing';
import { kafkaSecurity } from '@softphone/kafka-access';
import { KafkaBroker } from './kafka-broker.js';

describe('Kafka over TLS (SASL_SSL)', () => {
  let kafka: PrivateKafka;
  let broker: KafkaBroker;
  const topic = `${uniqueTopicPrefix('tls')}softphone.call.events`;

  beforeAll(async () => {
    kafka = await startPrivateKafka({ tls: true });
    broker = new KafkaBroker({
      brokers: kafka.brokers,
      clientId: 'tls-test',
      credentials: await kafkaCredentials('admin'),
      tls: { ca: kafka.ca },
    });
  }, 180_000);

  afterAll(async () => {
    await broker?.close();
    await kafka?.close();
  }, 60_000);

  it('carries messages for a client that trusts the broker, and refuses one that does not or speaks plaintext', async () => {
    expect(kafka.ca).toContain('BEGIN CERTIFICATE');
    await broker.ensureTopics([topic], 1);
    await broker.publish([{ topic, key: 'k', value: 'over tls' }]);
    const consumer = new KafkaBroker({
      brokers: kafka.brokers,
      clientId: 'tls-reader',
      credentials: await kafkaCredentials('admin'),
      tls: { ca: kafka.ca },
    });
    const received: string[] = [];
    const subscription = await consumer.subscribe({
      groupId: 'tls-reader',
      topics: [topic],
      handler: async (messages, context) => {
        for (const m of messages) {
          received.push(m.value?.toString() ?? '');
          context.done(m);
        }
      },
    });
    await eventually(() => expect(received).toEqual(['over tls']));
    await subscription.stop();
    await consumer.close();
    const quick = { logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3_000 };
    const credentials = await kafkaCredentials('admin');
    const untrusted = new Kafka({
      clientId: 'untrusted',
      brokers: kafka.brokers,
      ...kafkaSecurity({ credentials, tls: { ca: null } }),
      ...quick,
    }).admin();
    await expect(untrusted.connect()).rejects.toThrow();
    const plaintext = new Kafka({ clientId: 'plaintext', brokers: kafka.brokers, ...kafkaSecurity({ credentials }), ...quick }).admin();
    await expect(plaintext.connect().then(() => plaintext.listTopics())).rejects.toThrow();
    await plaintext.disconnect().catch(() => undefined);
  }, 60_000);
});
