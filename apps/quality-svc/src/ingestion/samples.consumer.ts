import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ContractViolation, type CallSamples, type Topics } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import type { BatchContext, IncomingMessage, MessageBroker, Subscription } from '@softphone/messaging';
import { CLOCK, MESSAGE_BROKER, MessagingLifecycle, SERVICE_CONFIG, TOPICS, type Clock, type ServiceConfig } from '@softphone/platform';
import { SecondsPublisher } from '../call-quality/seconds-publisher.js';
import { factsOf, refreshAgents } from './call-facts.js';
import { claimPartition, FencedOut, writeCheckpoint } from './meter-checkpoint.js';
import { PartitionMeters, type Checkpoint } from './partition-meters.js';
import { decodeSamples } from './samples-message.js';

/** How often each owned partition's meters are checkpointed (the seconds become readable then). */
const CHECKPOINT_MS = 250;
/** Every this many checkpoints of a partition (5 s), a snapshot also saves its changed meters (staggered across partitions). */
const SNAPSHOT_EVERY = 20;
/** Unwritten seconds per partition above which consumption waits for the checkpoint (memory, latency). */
const MAX_BACKLOG_SECONDS = 60_000;

const samplesCounter = new Counter({
  name: 'quality_samples_total',
  help: 'Samples ingested (checkpointed) by outcome',
  labelNames: ['outcome'],
});
const liveMeters = new Gauge({ name: 'quality_live_meters', help: 'Meters held in memory (calls of the owned partitions)' });
const checkpointSeconds = new Histogram({
  name: 'quality_checkpoint_seconds',
  help: 'Duration of a partition checkpoint transaction',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
const fencedOut = new Counter({ name: 'quality_partitions_fenced_total', help: 'Checkpoints refused: the partition had another owner' });
const staleMeters = new Counter({
  name: 'quality_meters_moved_elsewhere_total',
  help: "Meters another partition's owner had moved (a call reported under two keys): forgotten here, reloaded at their next sample",
});

const logger = new Logger('SamplesConsumer');

interface Owned {
  topic: string;
  partition: number;
  epoch: string;
  meters: PartitionMeters;
  /** Checkpoints of a partition one after the other (a later state never overwritten by an earlier one). */
  writing: Promise<void>;
  /** Consumption was moved to the checkpointed offset once (after that, a later first offset is retention's gap). */
  sought: boolean;
  checkpoints: number;
  /** A checkpoint is being written: the loop does not queue another behind it. */
  busy: boolean;
  lastCheckpointAt: number;
}

/**
 * The tenants' samples topics (each tenant's own, found as they are created),
 * consumed by one consumer group: each instance owns the meters of its
 * partitions in memory. A partition is claimed (fenced by a new epoch) when its
 * first batch comes, and consumption resumes at its checkpointed offset; every
 * CHECKPOINT_MS its new seconds, changed meters, events and offset are written
 * in one transaction, which a stale owner (the partition moved) cannot commit.
 * A crash or a rebalance replays exactly the messages after the checkpoint.
 */
@Injectable()
export class SamplesConsumer implements OnModuleInit {
  private readonly owned = new Map<string, Owned>();
  private subscription?: Subscription;
  private subscribed: string[] = [];
  private watcher?: NodeJS.Timeout;
  private checkpoints?: Promise<void>;
  private running = false;
  private changing: Promise<void> = Promise.resolve();

  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly store: PostgresEventStore,
    private readonly secondsPublisher: SecondsPublisher,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onModuleInit(): void {
    this.messaging.register(this, this.deadLetterTopic());
  }

  private deadLetterTopic(): string {
    return this.topics.deadLetter(`${this.config.serviceName}.samples`);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.change(() => this.resubscribe());
    this.watcher = setInterval(() => void this.change(() => this.resubscribe()), this.config.kafkaTopicRefreshMs);
    this.checkpoints = this.checkpointLoop();
  }

  /** Stops consuming, writes a last checkpoint of every owned partition and forgets them. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.watcher);
    await this.checkpoints;
    await this.change(async () => {
      await this.release();
      await this.subscription?.stop();
      this.subscription = undefined;
    });
  }

  private change(work: () => Promise<void>): Promise<void> {
    const next = this.changing.then(work).catch((error) => logger.warn(`subscription change failed, will retry: ${String(error)}`));
    this.changing = next;
    return next;
  }

  /** Subscribes again when samples topics appeared (a new tenant): the partitions are checkpointed and claimed again. */
  private async resubscribe(): Promise<void> {
    if (!this.running) return;
    const prefix = this.topics.qualitySamplesPrefix;
    const topics = (await this.broker.listTopics()).filter((t) => t.startsWith(prefix)).sort();
    if (topics.length === this.subscribed.length && topics.every((t, i) => t === this.subscribed[i])) return;
    await this.release();
    await this.subscription?.stop();
    this.subscription = undefined;
    this.subscribed = topics;
    if (topics.length === 0) return;
    this.subscription = await this.broker.subscribe({
      groupId: `${this.config.kafkaTopicPrefix}${this.config.serviceName}.samples`,
      topics,
      fromBeginning: true,
      handler: (messages, context) => this.onBatch(messages, context),
    });
  }

  /** Checkpoints and forgets every owned partition. */
  private async release(): Promise<void> {
    await Promise.all([...this.owned.values()].map((o) => this.checkpoint(o, true)));
    this.owned.clear();
    liveMeters.set(0);
  }

  private async onBatch(messages: IncomingMessage[], context: BatchContext): Promise<void> {
    if (!this.running || messages.length === 0) return;
    const { topic, partition } = messages[0];
    const owner = this.owned.get(`${topic}:${partition}`) ?? (await this.claim(topic, partition));
    const from = owner.meters.nextOffset === null ? null : BigInt(owner.meters.nextOffset);
    // Offsets ascend in a batch: when the first is fresh, all are.
    const fresh = from === null || BigInt(messages[0].offset) >= from ? messages : messages.filter((m) => BigInt(m.offset) >= from);
    // Fetched from elsewhere than the checkpoint (Kafka has no committed offset; a partition claimed again): go to the checkpoint.
    if (from !== null && (fresh.length === 0 || (BigInt(fresh[0].offset) > from && !owner.sought))) {
      owner.sought = true;
      return context.seek(String(from));
    }
    owner.sought = true;
    while (owner.meters.backlog() > MAX_BACKLOG_SECONDS && this.running && context.isRunning()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await context.heartbeat().catch(() => undefined);
    }
    const nowMs = this.clock.now().getTime();
    const decoded: Array<{ offset: string; calls: CallSamples[] }> = [];
    for (const message of fresh) {
      try {
        decoded.push({ offset: message.offset, calls: decodeSamples(message, owner.meters.tenantId, Math.min(message.timestamp, nowMs)) });
      } catch (error) {
        if (!(error instanceof ContractViolation)) throw error;
        await this.deadLetter(message, error);
        decoded.push({ offset: message.offset, calls: [] });
      }
    }
    const facts = await factsOf(
      this.store.sql,
      owner.meters.tenantId,
      owner.meters.missing(decoded.length === 1 ? decoded[0].calls : decoded.flatMap((d) => d.calls)),
      this.clock.now().getTime(),
    );
    // Not ours any more (fenced while loading, or stopping): the new owner applies these.
    if (this.owned.get(`${topic}:${partition}`) !== owner || !this.running) return;
    for (const { offset, calls } of decoded) owner.meters.apply(offset, calls, facts, nowMs);
    liveMeters.set([...this.owned.values()].reduce((n, o) => n + o.meters.size, 0));
  }

  private async claim(topic: string, partition: number): Promise<Owned> {
    const tenantId = this.topics.tenantOfSamplesTopic(topic);
    if (!tenantId) throw new Error(`${topic} is not a tenant's samples topic`);
    const { epoch, resumeOffset, writtenOffset } = await claimPartition(this.store, topic, partition);
    const owner: Owned = {
      topic,
      partition,
      epoch,
      meters: new PartitionMeters(tenantId, { resumeOffset, writtenOffset }),
      writing: Promise.resolve(),
      sought: false,
      checkpoints: partition,
      busy: false,
      lastCheckpointAt: performance.now(),
    };
    this.owned.set(`${topic}:${partition}`, owner);
    logger.log(
      `claimed ${topic}:${partition} (epoch ${epoch}, from offset ${resumeOffset ?? 'the beginning'}, written to ${writtenOffset})`,
    );
    return owner;
  }

  /** Each owned partition checkpoints CHECKPOINT_MS after its last checkpoint ended (a slow one holds no other). */
  private async checkpointLoop(): Promise<void> {
    while (this.running) {
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_MS / 5));
      const now = performance.now();
      for (const owner of this.owned.values()) {
        if (!owner.busy && now - owner.lastCheckpointAt >= CHECKPOINT_MS) void this.checkpoint(owner);
      }
    }
  }

  /** A partition's checkpoints one after the other; every SNAPSHOT_EVERY-th (and the last one) a snapshot. */
  private checkpoint(owner: Owned, last = false): Promise<void> {
    const snapshot = last || ++owner.checkpoints % SNAPSHOT_EVERY === 0;
    owner.busy = true;
    owner.writing = owner.writing
      .then(() => this.writeCheckpoint(owner, snapshot))
      .finally(() => {
        owner.busy = false;
        owner.lastCheckpointAt = performance.now();
      });
    return owner.writing;
  }

  /** Writes one partition's checkpoint: held calls looked up again first, idle meters forgotten after. */
  private async writeCheckpoint(owner: Owned, snapshot: boolean): Promise<void> {
    const { meters } = owner;
    try {
      const held = meters.heldCalls();
      const nowMs = this.clock.now().getTime();
      if (held.length > 0) meters.release(await factsOf(this.store.sql, meters.tenantId, held, nowMs), nowMs);
    } catch (error) {
      logger.warn(`unknown calls of ${owner.topic}:${owner.partition} not looked up: ${String(error)}`);
    }
    const taken = meters.take(snapshot);
    try {
      await refreshAgents(this.store.sql, meters.tenantId, taken);
      const timer = checkpointSeconds.startTimer();
      const notSaved = await this.store.transaction(async (uow) => {
        const found = await writeCheckpoint(uow, { ...owner, tenantId: meters.tenantId }, taken);
        uow.afterCommit(() => this.committed(owner, taken, found.closed));
        return found;
      });
      timer();
      meters.closed(notSaved.closed);
      if (notSaved.stale.length > 0) {
        staleMeters.inc(notSaved.stale.length);
        meters.forget(notSaved.stale);
      }
      meters.evictIdle(this.clock.now().getTime());
    } catch (error) {
      if (error instanceof FencedOut) {
        fencedOut.inc();
        logger.log(`${error.message}: its meters here are dropped`);
        if (this.owned.get(`${owner.topic}:${owner.partition}`) === owner) this.owned.delete(`${owner.topic}:${owner.partition}`);
        return;
      }
      logger.warn(`checkpoint of ${owner.topic}:${owner.partition} failed, retried with the next: ${String(error)}`);
      meters.giveBack(taken);
    }
  }

  private committed(owner: Owned, c: Checkpoint, closed: ReadonlyArray<{ meterId: string }>): void {
    for (const [outcome, n] of Object.entries(c.outcomes)) samplesCounter.inc({ outcome }, n);
    const gone = new Set(closed.map((m) => m.meterId));
    this.secondsPublisher.publish(owner.meters.tenantId, String(owner.partition), c.seconds, (m) => !gone.has(m.meterId));
  }

  /** A message that can never be applied is set aside with the reason (its offset is passed like any other). */
  private async deadLetter(message: IncomingMessage, error: ContractViolation): Promise<void> {
    logger.error(`dead-lettering ${message.topic}[${message.partition}]@${message.offset}: ${error.message}`);
    await this.broker.publish([
      {
        topic: this.deadLetterTopic(),
        key: message.key ?? '',
        value: message.value?.toString() ?? '',
        headers: {
          ...message.headers,
          'dlq-error': `${error.name}: ${error.message}`,
          'dlq-reason': 'contract-violation',
          'dlq-issues': JSON.stringify((error as { issues?: unknown }).issues ?? null),
          'dlq-original-topic': message.topic,
          'dlq-original-partition': String(message.partition),
          'dlq-original-offset': message.offset,
          'dlq-failed-at': new Date().toISOString(),
        },
      },
    ]);
  }
}
