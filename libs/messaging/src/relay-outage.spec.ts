import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collect, startPrivateKafka, type PrivateKafka } from '@softphone/testing';
import { OutboxRelay } from './relay.js';
import { mediaChanged, messagingFixture, type MessagingFixture } from '../test/messaging-fixture.js';

const meta = { tenantId: 't1', correlationId: 'outage' };

describe('OutboxRelay through a broker outage', () => {
  let kafka: PrivateKafka;
  let f: MessagingFixture;
  let relay: OutboxRelay;

  beforeAll(async () => {
    kafka = await startPrivateKafka();
    f = await messagingFixture('relay_outage', kafka.brokers);
    relay = new OutboxRelay(f.store, f.dataSource, f.broker, { name: 'svc', topics: f.topics, batchSize: 20, maxBackoffMs: 1_000 });
    relay.start();
  }, 180_000);

  afterAll(async () => {
    await relay?.stop();
    await f?.close();
    await kafka?.close();
  }, 120_000);

  it('delivers every event, in order per stream, when the broker stops mid-stream and comes back', async () => {
    const streams = ['call-x', 'call-y', 'call-z'];
    const versions = new Map(streams.map((s) => [s, 0]));
    const write = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        for (const s of streams) {
          const v = versions.get(s)!;
          await f.store.append(s, v, [mediaChanged(s, v % 2 === 0)], meta);
          versions.set(s, v + 1);
        }
      }
    };
    await write(10);
    await collect(f.topics.events('call'), (m) => m.length >= 30, { brokers: kafka.brokers });

    await kafka.stop();
    await write(20); // committed while Kafka is down: they wait in the store
    await kafka.start();
    await write(10);

    const total = streams.length * 40;
    // Delivery is at least once: a batch in flight when the broker stopped may come twice, so wait for distinct events.
    const distinct = (messages: Array<{ value: string }>) => new Set(messages.map((m) => JSON.parse(m.value).id as string));
    const received = await collect(f.topics.events('call'), (m) => distinct(m).size >= total, {
      brokers: kafka.brokers,
      timeoutMs: 120_000,
    });
    expect(distinct(received).size).toBe(total);
    for (const s of streams) {
      const ofStream = received.filter((m) => m.key === s).map((m) => JSON.parse(m.value).streamVersion as number);
      const firstSeen = ofStream.filter((v, i) => ofStream.indexOf(v) === i);
      expect(firstSeen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
  }, 240_000);
});
