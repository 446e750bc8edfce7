import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { topics } from '@softphone/contracts';
import { InboxSchema1732400000001, KafkaBroker, type MessageBroker } from '@softphone/messaging';
import type { ServiceConfig } from './config.js';
import { HealthChecks } from './health/health-checks.js';
import { MessagingLifecycle } from './messaging.lifecycle.js';
import { MESSAGE_BROKER, SERVICE_CONFIG, TOPICS } from './tokens.js';

/** Kafka answers (events wait in the store meanwhile, but nothing reaches the other services); the inbox table exists. */
@Injectable()
class MessagingChecks implements OnModuleInit {
  constructor(
    private readonly checks: HealthChecks,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const [{ inbox }] = await this.dataSource.query<Array<{ inbox: boolean }>>(`SELECT to_regclass('inbox') IS NOT NULL AS inbox`);
    if (!inbox) throw new Error('MessagingModule needs its inbox table: add MessagingModule.schema to EventSourcingModule migrations');
    this.checks.register({ name: 'kafka', critical: true, timeoutMs: 3_000, probe: () => this.broker.ping() });
  }
}

/**
 * Kafka: the outbox relay publishing the service's events, and the consumers a
 * service registers with MessagingLifecycle (inbox, retries, dead letters).
 * Stands on EventSourcingModule, whose migrations must include MessagingModule.schema.
 */
@Global()
@Module({
  providers: [
    { provide: TOPICS, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => topics(config.kafkaTopicPrefix) },
    {
      provide: MESSAGE_BROKER,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) =>
        new KafkaBroker({
          brokers: config.kafkaBrokers,
          clientId: `${config.serviceName}-${config.instanceId}`,
          credentials: config.kafkaAuth,
          tls: config.kafkaTls,
        }),
    },
    MessagingLifecycle,
    MessagingChecks,
  ],
  exports: [TOPICS, MESSAGE_BROKER, MessagingLifecycle],
})
export class MessagingModule {
  /** The inbox table (ids of the messages each consumer applied). */
  static readonly schema = [InboxSchema1732400000001];
}
