import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type IHeaders, type LogEntry, type Producer } from 'kafkajs';
import { kafkaSecurity, type KafkaCredentials } from '@softphone/kafka-access';
import { partitionOfKey } from './key-partition.js';
import { kafkaLogSeverity } from './kafka-log.js';
import type {
  IncomingMessage,
  MessageBroker,
  OutgoingMessage,
  PartitionKey,
  SubscribeOptions,
  Subscription,
  Tail,
  TailOptions,
  TopicOptions,
} from './broker.js';

export interface KafkaBrokerOptions {
  brokers: string[];
  clientId: string;
  /** The principal to authenticate as (SASL); none for a broker without authentication. */
  credentials?: KafkaCredentials | null;
  /** TLS to the brokers, trusting `ca` (PEM) or the system's CAs when null. */
  tls?: false | { ca: string | null };
  /** Consumer session timeout: heartbeats must come at least this often. */
  sessionTimeoutMs?: number;
}

const TOPIC_ALREADY_EXISTS = 36;
const TOLERATED_CREATE_ERRORS = ['TOPIC_ALREADY_EXISTS', 'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED'];
/** Offsets of handled messages are committed at most this often (redelivery after a crash is at most this much). */
const COMMIT_INTERVAL_MS = 1_000;
/** Partitions of one subscription handled at the same time (each in order). */
const PARTITIONS_CONSUMED_CONCURRENTLY = 3;

/** MessageBroker over kafkajs (unmaintained upstream: keep it behind this file). */
export class KafkaBroker implements MessageBroker {
  private readonly kafka: Kafka;
  private readonly logger = new Logger('Kafka');
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  private readonly consumers = new Set<Consumer>();
  private readonly partitionCounts = new Map<string, number>();

  constructor(private readonly options: KafkaBrokerOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...kafkaSecurity(options),
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.log(entry),
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    });
  }

  async ensureTopics(names: string[], partitions: number, required = names, options: TopicOptions = {}): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = names.filter((n) => !existing.has(n));
    if (missing.length > 0) await this.createTopics(admin, missing, partitions, options.retentionMs ?? -1);
    if (required.length > 0) await this.waitForLeaders(admin, required);
  }

  async listTopics(): Promise<string[]> {
    const admin = await this.connectedAdmin();
    return admin.listTopics();
  }

  /**
   * Topics another instance just created may not have their leaders yet: subscribing then can leave a consumer
   * without partitions. In a cluster, a broker may not know a topic the controller just created yet: ask again.
   */
  private async waitForLeaders(admin: Admin, names: string[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const metadata = await admin.fetchTopicMetadata({ topics: names }).catch((error: unknown) => {
        if (attempt >= 100) throw error;
        return undefined;
      });
      if (metadata?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      if (attempt >= 100) throw new Error(`topics without leaders after 20 s: ${names.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async createTopics(admin: Admin, missing: string[], partitions: number, retentionMs: number): Promise<void> {
    try {
      await admin.createTopics({
        // Leaders are awaited below, asking again while a broker does not know the topic yet.
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: -1,
          configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
        })),
      });
    } catch (error) {
      // Another instance created it, or it is another principal's to create (waitForLeaders then waits for it).
      const errors = (error as { errors?: Array<{ type?: string; code?: number }> }).errors;
      if (!errors?.every((e) => e.code === TOPIC_ALREADY_EXISTS || TOLERATED_CREATE_ERRORS.includes(e.type ?? ''))) throw error;
    }
  }

  /**
   * Sends a batch and checks that every partition it addressed acknowledged it.
   * kafkajs' retry of a batch skips each broker that answered an earlier
   * attempt, so partitions whose leadership moved to such a broker (a broker of
   * the cluster died) would silently not be sent: partitions are chosen here
   * (kafkajs' own key hash, computed faster: partitionOfKey), and a partition
   * missing from the answer fails the send, which the caller repeats whole (at
   * least once; consumers' inboxes skip repeats).
   */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    // The partitions addressed, by topic: each must be in the answer (checked per partition, not per message).
    const addressed = new Map<string, Set<number>>();
    const topicMessages = await Promise.all(
      [...byTopic].map(async ([topic, list]) => {
        const partitionCount = await this.partitionCountOf(topic);
        const partitions = new Set<number>();
        addressed.set(topic, partitions);
        return {
          topic,
          messages: list.map((m) => {
            const partition = partitionOfKey(m.key, partitionCount);
            partitions.add(partition);
            return {
              key: m.key,
              value: m.value,
              headers: m.headers,
              timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
              partition,
            };
          }),
        };
      }),
    );
    const connected = this.connectedProducer();
    const producer = await connected;
    try {
      const answers = await producer.sendBatch({ acks: -1, topicMessages });
      for (const answer of answers) addressed.get(answer.topicName)?.delete(answer.partition);
      const missing = [...addressed].flatMap(([topic, partitions]) => [...partitions].map((partition) => `${topic}:${partition}`));
      if (missing.length > 0) throw new Error(`Kafka did not acknowledge partitions ${missing.join(', ')}`);
    } catch (error) {
      // After a failed send (a broker gone, sequence numbers out of step) the next attempt starts a new producer session.
      if (this.producer === connected) this.producer = undefined;
      producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** A topic's partition count (fixed at creation here). */
  private async partitionCountOf(topic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      const admin = await this.connectedAdmin();
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      count = topics[0].partitions.length;
      this.partitionCounts.set(topic, count);
    }
    return count;
  }

  /**
   * A consumer group member. Latency: a fetch returns as soon as one byte is
   * there (minBytes 1; maxWait only bounds an empty poll), partitions are
   * handled concurrently (each in order), and offsets are committed at most
   * every COMMIT_INTERVAL_MS instead of one round trip per batch: after a crash
   * or a rebalance the inbox skips what comes again.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      // A crashed instance's partitions move to the others once its session expires: 10 s, not kafkajs' 30 s.
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 3_000,
      minBytes: 1,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      autoCommitInterval: COMMIT_INTERVAL_MS,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const messages: IncomingMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key?.toString() ?? null,
          value: m.value,
          timestamp: Number(m.timestamp),
          headers: headersOf(m.headers),
        }));
        await options.handler(messages, {
          done: (message) => payload.resolveOffset(message.offset),
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning() && !payload.isStale(),
          seek: (offset) => consumer.seek({ topic: batch.topic, partition: batch.partition, offset }),
        });
        await payload.commitOffsetsIfNecessary();
      },
    });
    return {
      stop: async () => {
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async tail(options: TailOptions): Promise<Tail> {
    const admin = await this.connectedAdmin();
    const starts = new Map<PartitionKey, number>();
    const ends = new Map<PartitionKey, number>();
    for (const topic of options.topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const from = options.from(topic);
      const firsts =
        from === 'beginning'
          ? offsets.map((p) => ({ partition: p.partition, offset: p.low }))
          : await admin.fetchTopicOffsetsByTimestamp(topic, from.timestamp);
      for (const p of offsets) ends.set(`${topic}:${p.partition}`, Number(p.high));
      const lows = new Map(offsets.map((p) => [p.partition, Number(p.low)]));
      for (const p of firsts) {
        const end = ends.get(`${topic}:${p.partition}`) ?? 0;
        // -1: no message at or after the time; start at the end.
        let start = Number(p.offset) < 0 ? end : Math.min(Number(p.offset), end);
        if (from !== 'beginning' && from.noLaterThan) start = Math.min(start, from.noLaterThan.get(p.partition) ?? 0);
        starts.set(`${topic}:${p.partition}`, Math.max(start, lows.get(p.partition) ?? 0));
      }
    }
    options.starting?.({ starts, ends });
    const consumer = this.kafka.consumer({
      groupId: `${options.groupPrefix}.${randomUUID()}`,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        // Messages fetched before the seek below took effect are skipped: each partition starts at its start.
        const start = starts.get(`${batch.topic}:${batch.partition}`) ?? 0;
        const messages = batch.messages
          .filter((m) => Number(m.offset) >= start)
          .map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            timestamp: Number(m.timestamp),
            key: m.key?.toString() ?? null,
            value: m.value,
            headers: {},
          }));
        if (messages.length > 0) await options.handler(messages);
      },
    });
    for (const [key, offset] of starts) {
      const [topic, partition] = splitPartitionKey(key);
      consumer.seek({ topic, partition, offset: String(offset) });
    }
    return {
      starts,
      ends,
      stop: async () => {
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async ping(): Promise<void> {
    const admin = await this.connectedAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.all(
      [producer?.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())].map(
        (p) => p?.catch(() => undefined) ?? Promise.resolve(),
      ),
    );
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= connect(
      this.kafka.producer({
        allowAutoTopicCreation: false,
        // One request in flight: a retried request cannot overtake the next one, so per-key order holds;
        // idempotent (with acks=all): a request retried after a lost answer is not written twice.
        maxInFlightRequests: 1,
        idempotent: true,

        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= connect(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }

  private log(entry: LogEntry): void {
    // ensureTopics asks to create topics another principal owns, and handles the refusals itself.
    if ((entry.log as Record<string, unknown>).error === 'Topic creation errors') return;
    const {
      message,
      stack: _stack,
      timestamp: _timestamp,
      logger: _logger,
      ...rest
    } = entry.log as LogEntry['log'] & Record<string, unknown>;
    const text = `${entry.namespace}: ${message} ${JSON.stringify(rest)}`;
    this.logger[kafkaLogSeverity(entry)](text);
  }
}

/** A Kafka message's headers as text (a repeated header joined by commas); none: one empty object, nothing iterated. */
function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) {
    const v = headers[k];
    out[k] = Array.isArray(v) ? v.join(',') : (v?.toString() ?? '');
  }
  return out;
}

function splitPartitionKey(key: PartitionKey): [string, number] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

/** Connects a client; a failed connection is forgotten so the next call tries again. */
async function connect<T extends { connect(): Promise<void> }>(client: T, forget: () => void): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}
