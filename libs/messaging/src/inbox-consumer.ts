import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { startSpan, traceContextFrom, withSpan, type Span } from '@softphone/correlation';
import { Counter } from 'prom-client';
import { isTransient } from '@softphone/errors';
import type { PostgresEventStore, UnitOfWork } from '@softphone/event-store';
import type { BatchContext, IncomingMessage, MessageBroker, Subscription } from './broker.js';

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
  deadLetterTopic: string;
  /** Parses and validates a message; a throw means it can never be handled (dead letter). */
  decode(message: IncomingMessage): T;
  /** Identity used to apply each message once. */
  messageId(value: T, message: IncomingMessage): string;
  /** Applies new messages (never seen by this consumer) inside the transaction. */
  handle(items: Array<Received<T>>, uow: UnitOfWork): Promise<void>;
  /** Messages per transaction: 1 applies each on its own; more batches for throughput. */
  chunkSize?: number;
  /** Attempts of a message that keeps failing for a non-transient reason before it is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  fromBeginning?: boolean;
  /** Runs after each committed chunk with what it applied (wake-ups, in-memory timers...). */
  afterCommit?(items: Array<Received<T>>): void | Promise<void>;
}

const processed = new Counter({ name: 'consumer_messages_total', help: 'Messages consumed', labelNames: ['group', 'outcome'] });

/**
 * At-least-once delivery made effectively-once: each chunk of messages is
 * applied in one transaction together with its inbox records, so a redelivered
 * message finds its record and is skipped. Transient failures (database or
 * broker down, races) are retried for as long as it takes, heartbeating so the
 * group keeps the partition; other failures are retried a few times and then
 * the message goes to the dead-letter topic with the error, and the consumer
 * moves on.
 */
export class InboxConsumer<T> {
  private readonly logger: Logger;
  private subscription?: Subscription;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly broker: MessageBroker,
    private readonly options: InboxConsumerOptions<T>,
  ) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
  }

  async start(): Promise<void> {
    this.subscription = await this.broker.subscribe({
      groupId: this.options.groupId,
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
      handler: (messages, context) => this.onBatch(messages, context),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private async onBatch(messages: IncomingMessage[], context: BatchContext): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 1;
    const receivedAt = performance.timeOrigin + performance.now();
    let chunk: Array<Received<T>> = [];
    const flush = async () => {
      if (chunk.length === 0) return true;
      const ok = await withSpan(chunk[0].span, () => this.apply(chunk, context));
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
        if (!(await this.deadLetter(message, error, 1, context))) return;
        context.done(message);
        continue;
      }
      chunk.push({ value, message, span: this.processSpan(message, receivedAt) });
      if (chunk.length >= chunkSize && !(await flush())) return;
    }
    await flush();
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
    let delay = this.options.retryDelayMs ?? 100;
    for (;;) {
      if (!context.isRunning()) return false;
      try {
        await this.applyOnce(items);
        return true;
      } catch (error) {
        if (isTransient(error)) {
          this.logger.warn(`transient failure, retrying in ${delay} ms: ${describe(error)}`);
        } else if (items.length > 1) {
          // Find the culprit: apply the chunk's messages one by one.
          for (const item of items) if (!(await this.apply([item], context))) return false;
          return true;
        } else if (++attempts >= (this.options.maxAttempts ?? 3)) {
          return this.deadLetter(items[0].message, error, attempts, context);
        } else {
          this.logger.warn(`attempt ${attempts} failed: ${describe(error)}`);
        }
        await pause(delay, context);
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
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
  private async deadLetter(message: IncomingMessage, error: unknown, attempts: number, context: BatchContext): Promise<boolean> {
    this.logger.error(`dead-lettering ${message.topic}[${message.partition}]@${message.offset}: ${describe(error)}`);
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
