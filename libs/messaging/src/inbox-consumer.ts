import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { startSpan, traceContextFrom, withSpan, type Span } from '@softphone/correlation';
import { Counter } from 'prom-client';
import { isTransient } from '@softphone/errors';
import type { PostgresEventStore, UnitOfWork } from '@softphone/event-store';
import type { BatchContext, IncomingMessage, MessageBroker, Subscription } from './broker.js';
import { afterFailure, DEFAULT_RETRY_LIMITS } from './consumer-retry.policy.js';

export interface Received<T> {
  value: T;
  message: IncomingMessage;
  /** The consumer span of this message (a no-op span while tracing is off): what it causes is traced under it. */
  span: Span;
}

export interface InboxConsumerOptions<T> {
  /** Consumer group, also the name of this consumer's inbox records. */
  groupId: string;
  topics: string[];
  /**
   * Also every topic whose name starts with this (e.g. the per-tenant samples
   * topics), looked up every topicRefreshMs: a topic created later joins the
   * subscription then (kafkajs fixes a subscription when it starts).
   */
  topicPrefix?: string;
  topicRefreshMs?: number;
  deadLetterTopic: string;
  /** Parses and validates a message; a throw means it can never be handled (dead letter). */
  decode(message: IncomingMessage): T;
  /** Identity used to apply each message once. */
  messageId(value: T, message: IncomingMessage): string;
  /**
   * Whether handle has anything to do with a message. One it has not is passed over: no
   * transaction, no inbox record; its offset is committed in order with the others. Default: all.
   */
  handles?(value: T, message: IncomingMessage): boolean;
  /** Applies new messages (never seen by this consumer) inside the transaction. */
  handle(items: Array<Received<T>>, uow: UnitOfWork): Promise<void>;
  /** Messages per transaction: 1 applies each on its own; more batches for throughput. */
  chunkSize?: number;
  /** Attempts of a message that keeps failing for a non-transient reason before it is dead-lettered. */
  maxAttempts?: number;
  /** Attempts of a message that keeps failing transiently (while the database answers) before it is dead-lettered. */
  maxTransientAttempts?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  fromBeginning?: boolean;
  /** Runs after each committed chunk with what it applied (wake-ups, in-memory timers...). */
  afterCommit?(items: Array<Received<T>>): void | Promise<void>;
}

const processed = new Counter({ name: 'consumer_messages_total', help: 'Messages consumed', labelNames: ['group', 'outcome'] });
/** Alert on any increase: a message was set aside (contract-violation, failed, transient-retries-exhausted). */
const deadLetters = new Counter({
  name: 'consumer_dead_letters_total',
  help: 'Messages dead-lettered, by reason',
  labelNames: ['group', 'reason'],
});
const retries = new Counter({ name: 'consumer_retries_total', help: 'Failed attempts retried, by kind', labelNames: ['group', 'kind'] });

type DeadLetterReason = 'contract-violation' | 'failed' | 'transient-retries-exhausted';

/**
 * At-least-once delivery made effectively-once: each chunk of messages is
 * applied in one transaction together with its inbox records, so a redelivered
 * message finds its record and is skipped. Failures are retried with capped
 * backoff, heartbeating so the group keeps the partition, then the message goes
 * to the dead-letter topic with the cause and the consumer moves on (rules in
 * consumer-retry.policy.ts; a database outage is waited out, never dead-lettered).
 */
export class InboxConsumer<T> {
  private readonly logger: Logger;
  private subscription?: Subscription;
  private subscribed: string[] = [];
  private watcher?: NodeJS.Timeout;
  /** Serializes subscription changes (start, refreshes, stop). */
  private changing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly broker: MessageBroker,
    private readonly options: InboxConsumerOptions<T>,
  ) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
  }

  async start(): Promise<void> {
    await this.change(async () => this.subscribe(await this.currentTopics()));
    const { topicPrefix, topicRefreshMs = 10_000 } = this.options;
    if (topicPrefix !== undefined) this.watcher = setInterval(() => void this.refresh(), topicRefreshMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.watcher);
    this.watcher = undefined;
    await this.change(async () => {
      await this.subscription?.stop();
      this.subscription = undefined;
    });
  }

  private change(work: () => Promise<void>): Promise<void> {
    const next = this.changing.then(work);
    this.changing = next.catch(() => undefined);
    return next;
  }

  private async currentTopics(): Promise<string[]> {
    const { topics, topicPrefix } = this.options;
    if (topicPrefix === undefined) return topics;
    const matching = (await this.broker.listTopics()).filter((t) => t.startsWith(topicPrefix) && !topics.includes(t));
    return [...topics, ...matching.sort()];
  }

  private async subscribe(topics: string[]): Promise<void> {
    this.subscribed = topics;
    // Nothing to read yet (no tenant has a samples topic): the next refresh subscribes.
    if (topics.length === 0) return;
    this.subscription = await this.broker.subscribe({
      groupId: this.options.groupId,
      topics,
      fromBeginning: this.options.fromBeginning ?? true,
      handler: (messages, context) => this.onBatch(messages, context),
    });
  }

  /** Subscribes again when topics matching the prefix appeared (a new topic is read from its beginning). */
  private async refresh(): Promise<void> {
    await this.change(async () => {
      if (!this.watcher) return;
      const topics = await this.currentTopics();
      if (topics.length === this.subscribed.length && topics.every((t, i) => t === this.subscribed[i])) return;
      this.logger.log(`topics changed: now ${topics.length}, resubscribing`);
      await this.subscription?.stop();
      this.subscription = undefined;
      await this.subscribe(topics);
    }).catch((error) => this.logger.warn(`topic refresh failed, will retry: ${describe(error)}`));
  }

  private async onBatch(messages: IncomingMessage[], context: BatchContext): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 1;
    const receivedAt = performance.timeOrigin + performance.now();
    let chunk: Array<Received<T>> = [];
    const flush = async () => {
      if (chunk.length === 0) return true;
      const handled = this.handled(chunk);
      const ok = handled.length === 0 || (await withSpan(handled[0].span, () => this.apply(handled, context)));
      if (ok) processed.inc({ group: this.options.groupId, outcome: 'passed-over' }, chunk.length - handled.length);
      for (const item of chunk) {
        item.span.end();
        if (ok) context.done(item.message);
      }
      chunk = [];
      return ok;
    };
    for (const message of messages) {
      let value: T;
      try {
        value = this.options.decode(message);
      } catch (error) {
        if (!(await flush())) return;
        if (!(await this.deadLetter(message, error, 1, 'contract-violation', context))) return;
        context.done(message);
        continue;
      }
      chunk.push({ value, message, span: this.processSpan(message, receivedAt) });
      if (chunk.length >= chunkSize && !(await flush())) return;
    }
    await flush();
  }

  /** The items handle has something to do with (the others are only marked done, after the chunk's commit). */
  private handled(chunk: Array<Received<T>>): Array<Received<T>> {
    if (!this.options.handles) return chunk;
    return chunk.filter((item) => this.options.handles?.(item.value, item.message) !== false);
  }

  /** From the batch's arrival to the commit that applied it, child of the producer's span (W3C traceparent header). */
  private processSpan(message: IncomingMessage, receivedAt: number): Span {
    return startSpan(`process ${message.topic}`, {
      kind: SpanKind.CONSUMER,
      parent: traceContextFrom(message.headers),
      startTime: receivedAt,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.consumer.group.name': this.options.groupId,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.kafka.send_to_receive_ms': receivedAt - message.timestamp,
      },
    });
  }

  /** Applies a chunk; false when the subscription stopped before it could. */
  private async apply(items: Array<Received<T>>, context: BatchContext): Promise<boolean> {
    let attempts = 0;
    let transientAttempts = 0;
    let delay = this.options.retryDelayMs ?? 100;
    const limits = {
      maxAttempts: this.options.maxAttempts ?? DEFAULT_RETRY_LIMITS.maxAttempts,
      maxTransientAttempts: this.options.maxTransientAttempts ?? DEFAULT_RETRY_LIMITS.maxTransientAttempts,
    };
    for (;;) {
      if (!context.isRunning()) return false;
      try {
        await this.applyOnce(items);
        return true;
      } catch (error) {
        const transient = isTransient(error);
        if (transient) transientAttempts++;
        else attempts++;
        retries.inc({ group: this.options.groupId, kind: transient ? 'transient' : 'failed' });
        const verdict = afterFailure({ transient, attempts, transientAttempts, chunkSize: items.length }, limits);
        if (verdict === 'split') {
          // Find the culprit: apply the chunk's messages one by one.
          for (const item of items) if (!(await this.apply([item], context))) return false;
          return true;
        }
        if (verdict === 'dead-letter') return this.deadLetter(items[0].message, error, attempts, 'failed', context);
        if (verdict === 'dead-letter-unless-outage') {
          if (await this.databaseAnswers())
            return this.deadLetter(items[0].message, error, transientAttempts, 'transient-retries-exhausted', context);
          this.logger.warn(`database unreachable, waiting (not dead-lettering during an outage): ${describe(error)}`);
        } else {
          this.logger.warn(
            `${transient ? 'transient failure' : `attempt ${attempts} failed`}, retrying in ${delay} ms: ${describe(error)}`,
          );
        }
        await pause(delay, context);
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    return this.store.sql.rows('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  private async applyOnce(items: Array<Received<T>>): Promise<void> {
    const fresh = await this.store.transaction(async (uow) => {
      const ids = items.map((i) => this.options.messageId(i.value, i.message));
      const inserted = await uow.sql.rows<{ message_id: string }>(
        `INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING message_id`,
        [this.options.groupId, ids],
      );
      const isNew = new Set(inserted.map((r) => r.message_id));
      const firstOfEach = items.filter((item, index) => isNew.delete(ids[index]));
      if (firstOfEach.length > 0) await this.options.handle(firstOfEach, uow);
      return firstOfEach;
    });
    processed.inc({ group: this.options.groupId, outcome: 'applied' }, fresh.length);
    processed.inc({ group: this.options.groupId, outcome: 'duplicate' }, items.length - fresh.length);
    if (fresh.length > 0) await this.options.afterCommit?.(fresh);
  }

  /** Publishes the message with the reason to the dead-letter topic; false if stopped first. */
  private async deadLetter(
    message: IncomingMessage,
    error: unknown,
    attempts: number,
    reason: DeadLetterReason,
    context: BatchContext,
  ): Promise<boolean> {
    this.logger.error(`dead-lettering ${message.topic}[${message.partition}]@${message.offset} (${reason}): ${describe(error)}`);
    for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
      if (!context.isRunning()) return false;
      try {
        await this.broker.publish([
          {
            topic: this.options.deadLetterTopic,
            key: message.key ?? '',
            value: message.value?.toString() ?? '',
            headers: {
              ...message.headers,
              'dlq-error': describe(error),
              'dlq-reason': reason,
              'dlq-issues': JSON.stringify((error as { issues?: unknown }).issues ?? null),
              'dlq-attempts': String(attempts),
              'dlq-consumer-group': this.options.groupId,
              'dlq-original-topic': message.topic,
              'dlq-original-partition': String(message.partition),
              'dlq-original-offset': message.offset,
              'dlq-failed-at': new Date().toISOString(),
            },
          },
        ]);
        processed.inc({ group: this.options.groupId, outcome: 'dead-lettered' });
        deadLetters.inc({ group: this.options.groupId, reason });
        return true;
      } catch (publishError) {
        this.logger.warn(`dead-letter publish failed, retrying: ${describe(publishError)}`);
        await pause(delay, context);
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Waits, heartbeating at least every second so the group keeps our partitions. */
async function pause(ms: number, context: BatchContext): Promise<void> {
  for (let left = ms; left > 0 && context.isRunning(); left -= 1_000) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1_000)));
    await context.heartbeat().catch(() => undefined);
  }
}
