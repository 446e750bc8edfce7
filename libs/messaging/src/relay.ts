import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { startSpan, traceContextFrom, traceHeadersOf, type Span } from '@softphone/correlation';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { eventCatalog, type Topics } from '@softphone/contracts';
import { APPENDED_CHANNEL, LeaderLock, PostgresEventStore, START, type Checkpoint, type EncodedEvent } from '@softphone/event-store';
import type { MessageBroker, OutgoingMessage } from './broker.js';
import { ReadAhead } from './read-ahead.js';

export interface RelayOptions {
  /** Names the checkpoint and the leader lock: one relay per service. */
  name: string;
  topics: Topics;
  batchSize?: number;
  /**
   * Fallback: how often to look for new events without a wake-up. Commits wake
   * the relay at once (in process, and through PostgreSQL NOTIFY from other instances).
   */
  pollIntervalMs?: number;
  /** Longest wait between attempts while the broker is down. */
  maxBackoffMs?: number;
}

const published = new Counter({
  name: 'relay_events_published_total',
  help: 'Events published to Kafka by the outbox relay',
  labelNames: ['relay'],
});
const failures = new Counter({
  name: 'relay_publish_failures_total',
  help: 'Failed publish attempts of the outbox relay',
  labelNames: ['relay'],
});
/** Longest wait before reading again events that wait behind a transaction in flight. */
const MAX_HELD_BACK_DELAY_MS = 20;
/** Batches read ahead of the one being published. */
const READ_AHEAD = 3;
/**
 * The checkpoint is saved at most this often: during a long drain, and after a
 * drain (at once when the last save is older, else when this much has passed
 * since it): one event per commit no longer costs a save each.
 */
const CHECKPOINT_INTERVAL_MS = 200;
const leader = new Gauge({ name: 'relay_is_leader', help: '1 when this instance runs the relay', labelNames: ['relay'] });

/** Each published event type's topic, looked up once per relay (not per event); internal types are not in it. */
export function topicsByType(topics: Topics): ReadonlyMap<string, string> {
  return new Map(eventCatalog.map((definition) => [definition.type, topics.events(definition.topic)]));
}

/**
 * The envelope as it travels: the event without its place in the local log;
 * headers name it and carry its correlation id and, when traced, the W3C trace
 * context (traceparent) of the span that publishes it.
 */
export function toMessage(event: EncodedEvent, topic: string, span?: Span): OutgoingMessage {
  const headers: Record<string, string> = { 'event-type': event.type, 'event-id': event.id, 'correlation-id': event.correlationId };
  if (span) Object.assign(headers, traceHeadersOf(span));
  else if (event.traceParent) headers.traceparent = event.traceParent;
  return { topic, key: event.streamId, value: event.envelope, headers };
}

/** The producer span of a traced event, from the read that found it to the broker's acknowledgement. */
function publishSpan(event: EncodedEvent, traceParent: string, topic: string, readStartedAt: number): Span {
  return startSpan(`publish ${topic}`, {
    kind: SpanKind.PRODUCER,
    parent: traceContextFrom({ traceparent: traceParent }),
    startTime: readStartedAt,
    attributes: { 'messaging.system': 'kafka', 'messaging.message.id': event.id, 'event.type': event.type },
  });
}

/**
 * Publishes the event store to Kafka in global order, keyed by stream id (so
 * each aggregate's events stay in order on one partition), and checkpoints what
 * the broker acknowledged. The store is the outbox: a broker outage only delays
 * events. Only the instance holding the leader lock relays; delivery is at least
 * once (a crash between publish and checkpoint re-sends a batch).
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly lock: LeaderLock;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly topicOf: ReadonlyMap<string, string>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;
  private notifying = false;
  private notifyAgain = false;
  private unsubscribe?: () => void;
  /** What this leader has published (the saved checkpoint may lag by CHECKPOINT_INTERVAL_MS). */
  private checkpoint?: Checkpoint;
  /** The last checkpoint saved, and when its save started (performance.now()). */
  private saved?: Checkpoint;
  private savedAt = -Infinity;
  /** Saves one after another (each saves the latest published checkpoint). */
  private saving: Promise<void> = Promise.resolve();
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: PostgresEventStore,
    dataSource: DataSource,
    private readonly broker: MessageBroker,
    private readonly options: RelayOptions,
  ) {
    this.lock = new LeaderLock(dataSource, `relay:${options.name}`);
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.topicOf = topicsByType(options.topics);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => (this.lock.isHeld ? this.nudge() : this.notifyLeader()));
    this.loop = this.run();
  }

  /** Publishes what is already committed, then stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.nudge();
    await this.loop;
    if (this.lock.isHeld) {
      await this.drain().catch((error) => this.logger.warn(`final flush failed: ${String(error)}`));
      await this.saveNow().catch((error) => this.logger.warn(`final checkpoint failed: ${String(error)}`));
    }
    clearTimeout(this.saveTimer);
    await this.lock.release();
    leader.set({ relay: this.options.name }, 0);
  }

  /**
   * Publishes until the log is empty; returns how many events it sent. Reads
   * run up to READ_AHEAD batches ahead of the publishes, one publish at a time
   * (each stream stays in order). The checkpoint is saved at most every
   * CHECKPOINT_INTERVAL_MS, during a drain and after it (at once after a failed
   * drain): a crash re-sends at most that much (consumers' inboxes skip repeats).
   */
  async drain(): Promise<number> {
    let sent = 0;
    let saving: Promise<void> | undefined;
    let failed = true;
    if (this.checkpoint === undefined) this.checkpoint = this.saved = await this.loadCheckpoint();
    const reads = new ReadAhead((after) => this.store.readAllEncoded(after, this.batchSize), this.checkpoint, READ_AHEAD);
    try {
      for (let batch = await reads.next(); batch.events.length > 0 && this.lock.isHeld; batch = await reads.next()) {
        const { events, startedAt } = batch;
        const messages: OutgoingMessage[] = [];
        const spans: Span[] = [];
        for (const event of events) {
          // A service's internal events stay in its log: the checkpoint passes them, nothing is sent.
          const topic = this.topicOf.get(event.type);
          if (topic === undefined) continue;
          const span = event.traceParent === null ? undefined : publishSpan(event, event.traceParent, topic, startedAt);
          if (span) spans.push(span);
          messages.push(toMessage(event, topic, span));
        }
        await this.broker.publish(messages).finally(() => spans.forEach((span) => span.end()));
        this.checkpoint = events[events.length - 1];
        published.inc({ relay: this.options.name }, events.length);
        sent += events.length;
        if (!saving && this.saveIsDue()) saving = this.saveNow().finally(() => (saving = undefined));
      }
      failed = false;
    } finally {
      await saving;
      // A failed drain saves what the broker acknowledged at once: the relay forgets its checkpoint before retrying.
      if (failed || this.saveIsDue()) await this.saveNow();
      else this.saveLater();
    }
    return sent;
  }

  /**
   * Publishes whenever woken (a commit here, a NOTIFY from another instance's
   * commit) or every pollIntervalMs. Events left after a drain (behind a
   * transaction in flight, or readable since it ended without waking anyone)
   * are read again within milliseconds, not at the next poll.
   */
  private async run(): Promise<void> {
    let backoff = 100;
    let heldBackDelay = 1;
    while (this.running) {
      try {
        if (!(await this.lock.tryAcquire())) {
          this.forgetCheckpoint();
          leader.set({ relay: this.options.name }, 0);
          await this.sleep(1_000);
          continue;
        }
        await this.lock.listen(APPENDED_CHANNEL, () => this.nudge());
        leader.set({ relay: this.options.name }, 1);
        await this.drain();
        backoff = 100;
        if (this.checkpoint && (await this.store.hasUnread(this.checkpoint))) {
          await this.sleep(heldBackDelay);
          heldBackDelay = Math.min(heldBackDelay * 2, MAX_HELD_BACK_DELAY_MS);
        } else {
          heldBackDelay = 1;
          await this.sleep(this.pollIntervalMs);
        }
      } catch (error) {
        this.forgetCheckpoint();
        failures.inc({ relay: this.options.name });
        this.logger.warn(`relay ${this.options.name} will retry in ${backoff} ms: ${String((error as Error).message ?? error)}`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  private async loadCheckpoint(): Promise<Checkpoint> {
    const [row] = await this.store.sql.rows<{ transaction_id: string; position: string }>(
      'SELECT transaction_id::text, position::text FROM es_checkpoints WHERE name = $1',
      [this.options.name],
    );
    return row ? { transactionId: row.transaction_id, position: row.position } : START;
  }

  private saveIsDue(): boolean {
    return this.checkpoint !== this.saved && performance.now() - this.savedAt >= CHECKPOINT_INTERVAL_MS;
  }

  /** Saves what this leader has published (after the saves before it), unless saved already. */
  private saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        const checkpoint = this.checkpoint;
        if (checkpoint === undefined || checkpoint === this.saved || !this.lock.isHeld) return;
        this.savedAt = performance.now();
        await this.lock.executeRelaxed(
          `INSERT INTO es_checkpoints (name, transaction_id, position) VALUES ($1, $2::xid8, $3::bigint)
         ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
          [this.options.name, checkpoint.transactionId, checkpoint.position],
        );
        this.saved = checkpoint;
      });
    return this.saving;
  }

  /** Saves once CHECKPOINT_INTERVAL_MS has passed since the last save (one save for the drains meanwhile). */
  private saveLater(): void {
    if (this.saveTimer || this.checkpoint === this.saved) return;
    const wait = Math.max(0, this.savedAt + CHECKPOINT_INTERVAL_MS - performance.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow().catch((error: unknown) =>
        this.logger.warn(`relay ${this.options.name}: checkpoint not saved (next save retries): ${String(error)}`),
      );
    }, wait);
  }

  /** Not (or no longer surely) the leader: the checkpoint is read again once leading. */
  private forgetCheckpoint(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.checkpoint = undefined;
    this.saved = undefined;
  }

  /**
   * This instance committed events but another one relays: tell it (NOTIFY,
   * after the commit, never inside the appending transaction: a NOTIFY there
   * serialises every appending commit of the server). One at a time; commits
   * meanwhile are covered by one more.
   */
  private notifyLeader(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.notifyAgain = false;
    this.store
      .notifyAppended()
      .catch((error: unknown) => this.logger.warn(`cannot notify the relay's leader: ${String(error)}`))
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain && this.running) this.notifyLeader();
      });
  }

  private nudge(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.pendingWake = false;
        done();
      };
    });
  }
}
