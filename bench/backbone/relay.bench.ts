/**
 * Outbox relay throughput: events/s from the event store to Kafka (read in
 * global order, produce, checkpoint), against a bare kafkajs producer sending
 * the same messages in the same batch sizes, acks=all, idempotent, one request
 * in flight: with kafkajs' default partitioner (the issue's figure), and with
 * the relay's own key hash (the same partitions, computed as the relay does:
 * the relay's overhead alone). Each run counts only once the broker holds all
 * its events (its topic's end offsets); the contenders take turns in a rotating order.
 */
import { Partitioners } from 'kafkajs';
import { topics } from '@softphone/contracts';
import { EVENT_STORE_MIGRATIONS, openDatabase, PostgresEventStore, START } from '@softphone/event-store';
import { KafkaBroker, OutboxRelay, partitionOfKey, toMessage, topicsByType, type OutgoingMessage } from '@softphone/messaging';
import { kafkaCredentials, testKafka } from '@softphone/testing';
import { benchDatabase, fmt, KAFKA_BROKERS, table } from '../support.js';

const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 50_000);
const BATCH = 500;
const STREAMS = 1_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

export interface RelayFigures {
  bare: number;
  relayed: number;
  /** relayed / bare, each the median of interleaved runs. */
  ratio: number;
  runs: number;
  /** Each run's ratio (relay / the bare run of the same round). */
  perRun: number[];
  /** The bare producer given the relay's key hash instead of kafkajs' (same partitions). */
  bareSameHash: number;
  /** relayed / bareSameHash, each the median of interleaved runs. */
  ratioSameHash: number;
  perRunSameHash: number[];
}

/** A broker that tells how many messages each publish got acknowledged, once the broker acknowledged them. */
class CountingBroker extends KafkaBroker {
  onAcknowledged: (count: number) => void = () => undefined;

  override async publish(messages: OutgoingMessage[]): Promise<void> {
    await super.publish(messages);
    this.onAcknowledged(messages.length);
  }
}

/** The relay's events/s against the bare producer's, median of RUNS interleaved runs each. */
export async function relayVersusBare(): Promise<RelayFigures> {
  const db = await benchDatabase('relay');
  const dataSource = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: 10 });
  const store = new PostgresEventStore(dataSource);
  const prefix = `bench${Date.now()}.`;
  const t = topics(prefix);
  const broker = new CountingBroker({ brokers: KAFKA_BROKERS, clientId: 'bench-relay', credentials: await kafkaCredentials('admin') });
  await broker.ensureTopics([t.events('call')], 6);

  // The store's content: EVENTS events over STREAMS streams, 50 per append.
  const perAppend = 50;
  const versions = new Array<number>(STREAMS).fill(0);
  for (let i = 0; i < EVENTS / perAppend; i++) {
    const s = i % STREAMS;
    const events = Array.from({ length: perAppend }, (_, k) => ({
      type: 'call.media-changed',
      data: {
        callId: `call-${s}`,
        change: k % 2 ? 'muted' : 'unmuted',
        media: { mode: 'voice', muted: k % 2 === 1, cameraOn: false, screenShare: null },
      },
    }));
    await store.append(`call-${s}`, versions[s], events, { tenantId: 'bench', correlationId: 'bench' });
    versions[s] += perAppend;
  }

  // As a long-lived table is: with statistics and a visibility map (autovacuum would otherwise work during a timed run).
  await dataSource.query('VACUUM ANALYZE es_events');

  // Bare producer: the same messages, pre-built, in batches of BATCH.
  const all = await store.readAllEncoded(START, EVENTS);
  const bareTopics = topicsByType(topics(`${prefix}bare.`));
  const messages = all.map((e) => toMessage(e, bareTopics.get(e.type)!));
  const bareTopic = messages[0].topic;
  await broker.ensureTopics([bareTopic], 6);
  const sameHashTopic = topicsByType(topics(`${prefix}hash.`)).get(all[0].type)!;
  await broker.ensureTopics([sameHashTopic], 6);
  const kafka = await testKafka('admin');
  const producer = kafka.producer({ maxInFlightRequests: 1, idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const relaysHash = () => (args: { partitionMetadata: unknown[]; message: { key?: Buffer | string | null } }) =>
    partitionOfKey(String(args.message.key), args.partitionMetadata.length);
  const sameHashProducer = kafka.producer({ maxInFlightRequests: 1, idempotent: true, createPartitioner: relaysHash });
  await producer.connect();
  await sameHashProducer.connect();
  // Both contenders are counted by the broker: the messages a run added to its topic (end offsets, read after the run).
  const admin = kafka.admin();
  await admin.connect();
  const inTopic = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.offset), 0);
  /** A run's events/s, once the broker holds every event it sent. */
  const counted = async (topic: string, run: () => Promise<number>) => {
    const before = await inTopic(topic);
    const seconds = await run();
    const held = (await inTopic(topic)) - before;
    if (held < EVENTS) throw new Error(`${topic}: the broker holds ${held} of the run's ${EVENTS} events`);
    return EVENTS / seconds;
  };
  const bareRun = () => counted(bareTopic, () => bareSend(producer, bareTopic));
  const sameHashRun = () => counted(sameHashTopic, () => bareSend(sameHashProducer, sameHashTopic));
  const bareSend = async (sender: typeof producer, topic: string) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < messages.length; i += BATCH) {
      await sender.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: messages.slice(i, i + BATCH).map((m) => ({ key: m.key, value: m.value, headers: m.headers })) }],
      });
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };

  // Relay: from an empty checkpoint (a new relay name each run) until Kafka acknowledged the last event, as the bare
  // producer is timed: the run ends on that acknowledgement. Neither polling the relay's checkpoint in PostgreSQL
  // (load on the database the relay reads from) nor its counter every millisecond (a timer on the thread that relays,
  // which the bare producer does not share).
  const relayRun = (run: number) => counted(t.events('call'), () => relaySend(run));
  const relaySend = async (run: number) => {
    const relay = new OutboxRelay(store, dataSource, broker, { name: `bench-${run}`, topics: t, batchSize: BATCH });
    let acknowledged = 0;
    const all = new Promise<void>((resolve) => {
      broker.onAcknowledged = (count) => {
        acknowledged += count;
        if (acknowledged >= EVENTS) resolve();
      };
    });
    const started = process.hrtime.bigint();
    relay.start();
    await all;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await relay.stop();
    return seconds;
  };

  // Interleaved runs, median of each: the machine's other load hits all alike. One unmeasured run of each first:
  // connections, prepared statements and the JIT warm, as in a running service. Each round rotates the order, so
  // that no contender always runs first or right after another one.
  await bareRun();
  await sameHashRun();
  await relayRun(-1);
  const bareRates: number[] = [];
  const sameHashRates: number[] = [];
  const relayRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const contenders = [
      async () => bareRates.push(await bareRun()),
      async () => sameHashRates.push(await sameHashRun()),
      async () => relayRates.push(await relayRun(run)),
    ];
    for (let k = 0; k < contenders.length; k++) await contenders[(run + k) % contenders.length]();
  }
  await admin.disconnect();
  await producer.disconnect();
  await sameHashProducer.disconnect();
  await broker.close();
  await dataSource.destroy();
  await db.drop();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bare = median(bareRates);
  const bareSameHash = median(sameHashRates);
  const relayed = median(relayRates);
  return {
    bare,
    relayed,
    ratio: relayed / bare,
    runs: RUNS,
    perRun: relayRates.map((rate, i) => rate / bareRates[i]),
    bareSameHash,
    ratioSameHash: relayed / bareSameHash,
    perRunSameHash: relayRates.map((rate, i) => rate / sameHashRates[i]),
  };
}

export default async function run(): Promise<void> {
  const { bare, relayed, perRun, bareSameHash, perRunSameHash } = await relayVersusBare();
  table([
    { path: 'bare kafkajs producer', 'events/s': fmt(bare) },
    { path: "bare kafkajs producer, the relay's key hash", 'events/s': fmt(bareSameHash) },
    { path: 'outbox relay (store → Kafka)', 'events/s': fmt(relayed) },
  ]);
  process.stdout.write(
    `relay / bare = ${fmt(relayed / bare, 2)} (${fmt(EVENTS)} events, batches of ${BATCH}, median of ${RUNS} interleaved runs after a warm-up; goal ≥ 0.9)\n` +
      `each run: ${perRun.map((r) => fmt(r, 2)).join(', ')}\n` +
      `relay / bare with the relay's key hash = ${fmt(relayed / bareSameHash, 2)}; each run: ${perRunSameHash.map((r) => fmt(r, 2)).join(', ')}\n`,
  );
}
