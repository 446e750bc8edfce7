import { decodeEnvelope, type Envelope } from '@softphone/contracts';
import { withCorrelation, withSpan } from '@softphone/correlation';
import type { EventMetadata, PostgresEventStore, UnitOfWork } from '@softphone/event-store';
import type { MessageBroker } from './broker.js';
import { InboxConsumer } from './inbox-consumer.js';

/** Events applied per transaction (a failing chunk is split to find the culprit). */
const CHUNK = 100;

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  /** Whether handle does anything with an event (by its type, say): the others take no transaction and no inbox record. Default: all. */
  handles?(event: Envelope): boolean;
  /** Applies one validated event; throw a non-transient error only for an event that can never apply. */
  handle(event: Envelope, uow: UnitOfWork): Promise<void>;
  afterCommit?(events: Envelope[]): void | Promise<void>;
  maxAttempts?: number;
  maxTransientAttempts?: number;
  fromBeginning?: boolean;
}

/**
 * Consumes domain events: validated against the contracts, each applied once;
 * the events of one fetched batch (up to CHUNK) are applied in one transaction
 * with their inbox records, in order.
 */
export function eventConsumer(store: PostgresEventStore, broker: MessageBroker, options: EventConsumerOptions): InboxConsumer<Envelope> {
  return new InboxConsumer<Envelope>(store, broker, {
    groupId: options.groupId,
    topics: options.topics,
    deadLetterTopic: options.deadLetterTopic,
    maxAttempts: options.maxAttempts,
    maxTransientAttempts: options.maxTransientAttempts,
    fromBeginning: options.fromBeginning,
    chunkSize: CHUNK,
    decode: (message) => decodeEnvelope(message.value),
    handles: options.handles ? (event) => options.handles?.(event) !== false : undefined,
    messageId: (event) => event.id,
    handle: async (items, uow) => {
      for (const { value: event, span } of items) {
        await withSpan(span, () =>
          withCorrelation({ correlationId: event.correlationId, causationId: event.id }, () => options.handle(event, uow)),
        );
      }
    },
    afterCommit: options.afterCommit ? (items) => options.afterCommit?.(items.map((i) => i.value)) : undefined,
  });
}

/** Metadata for events caused by an incoming event: same tenant and correlation, caused by it. */
export function causedBy(event: Envelope): EventMetadata {
  return { tenantId: event.tenantId, correlationId: event.correlationId, causationId: event.id };
}
