import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventTopic, Topics } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import {
  eventConsumer,
  InboxConsumer,
  OutboxRelay,
  type EventConsumerOptions,
  type InboxConsumerOptions,
  type MessageBroker,
} from '@softphone/messaging';
import type { ServiceConfig } from './config.js';
import { MESSAGE_BROKER, SERVICE_CONFIG, TOPICS } from './tokens.js';

/** Anything with a start and a stop that consumes from Kafka. */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts and stops the service's messaging in the right order: topics, relay,
 * consumers on start; consumers, relay flush and broker on shutdown.
 * Kafka being down at start-up does not stop the service: it keeps trying in
 * the background while the HTTP API and the relay (which only delays) work.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private readonly consumers: Startable[] = [];
  /** The topics the consumers read and dead-letter to: they start once these exist. */
  private readonly neededTopics = new Set<string>();
  private readonly relay: OutboxRelay;
  private starting?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly store: PostgresEventStore,
    @InjectDataSource() dataSource: DataSource,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.relay = new OutboxRelay(store, dataSource, broker, { name: config.serviceName, topics });
  }

  /** Services register their consumers (in onModuleInit) and the topics they read or write. */
  register(consumer: Startable, ...topics: string[]): void {
    this.consumers.push(consumer);
    for (const t of topics) this.neededTopics.add(t);
  }

  /**
   * Consumes domain events of other services (or its own), each applied once.
   * purpose names the consumer group (prefixed like the topics) and its dead-letter topic.
   */
  consumeEvents(purpose: string, from: EventTopic[], options: Pick<EventConsumerOptions, 'handles' | 'handle' | 'afterCommit'>): void {
    const names = this.namesFor(purpose);
    const topics = from.map((t) => this.topics.events(t));
    this.register(eventConsumer(this.store, this.broker, { ...names, topics, ...options }), ...topics, names.deadLetterTopic);
  }

  /** Consumes any messages (decoded by the caller) with the same inbox, retry and dead-letter rules. */
  consume<T>(purpose: string, options: Omit<InboxConsumerOptions<T>, 'groupId' | 'deadLetterTopic'>): void {
    const names = this.namesFor(purpose);
    this.register(
      new InboxConsumer<T>(this.store, this.broker, { ...names, topicRefreshMs: this.config.kafkaTopicRefreshMs, ...options }),
      ...options.topics,
      names.deadLetterTopic,
    );
  }

  private namesFor(purpose: string) {
    const name = `${this.config.serviceName}.${purpose}`;
    return { groupId: `${this.config.kafkaTopicPrefix}${name}`, deadLetterTopic: this.topics.deadLetter(name) };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.starting = this.startConsumers();
  }

  /** Resolves once every consumer has joined its group (tests wait for it). */
  async ready(): Promise<void> {
    await this.starting;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.starting?.catch(() => undefined);
    await Promise.all(this.consumers.map((c) => c.stop().catch((e) => this.logger.warn(`consumer stop: ${String(e)}`))));
    await this.relay.stop();
    await this.broker.close();
  }

  private async startConsumers(): Promise<void> {
    // Every events topic is created if missing and allowed (the service's own: its relay writes it); the service waits for the ones it needs.
    const needed = [...this.neededTopics];
    const names = [...new Set([...this.topics.all(), ...needed])];
    for (let delay = 500; !this.stopping; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.broker.ensureTopics(names, this.config.kafkaPartitions, needed);
        for (const consumer of this.consumers) await consumer.start();
        return;
      } catch (error) {
        this.logger.warn(`Kafka not ready (${String((error as Error).message ?? error)}), retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
