import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { AuthGuard, JWT_SECRET } from '@softphone/auth';
import { topics } from '@softphone/contracts';
import {
  EVENT_STORE_MIGRATIONS,
  openDatabase,
  PostgresEventStore,
  type InlineProjection,
  type MigrationClass,
} from '@softphone/event-store';
import { InboxSchema1732400000001, KafkaBroker } from '@softphone/messaging';
import { systemClock, type Clock } from './clock.js';
import type { ServiceConfig } from './config.js';
import { HealthController } from './health.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { MetricsController } from './http/metrics.js';
import { validationPipe } from './http/validation.js';
import { MessagingLifecycle } from './messaging.lifecycle.js';
import { TracingShutdown } from './tracing.js';
import { CLOCK, MESSAGE_BROKER, REDIS, SERVICE_CONFIG, TOPICS } from './tokens.js';

export interface PlatformOptions {
  config: ServiceConfig;
  /** The service's own migrations (the event store and inbox tables come with the platform). */
  migrations: MigrationClass[];
  /** Read models kept in the same transaction as the events. */
  projections?: Array<Type<InlineProjection>>;
  clock?: Clock;
}

/**
 * What every service stands on: configuration, PostgreSQL (event store, inbox,
 * migrations), Kafka (relay, consumers), Redis, auth, errors, validation,
 * health and metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const projections = options.projections ?? [];
    const migrations: MigrationClass[] = [...EVENT_STORE_MIGRATIONS, InboxSchema1732400000001, ...options.migrations];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres' as const, url: config.databaseUrl, retryAttempts: 20, retryDelay: 1_500 }),
          dataSourceFactory: () =>
            openDatabase({
              url: config.databaseUrl,
              migrations,
              poolSize: config.databasePoolSize,
              applicationName: `${config.serviceName}/${config.instanceId}`,
            }),
        }),
        TerminusModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: JWT_SECRET, useValue: config.jwtSecret },
        { provide: TOPICS, useValue: topics(config.kafkaTopicPrefix) },
        {
          provide: MESSAGE_BROKER,
          useFactory: () => new KafkaBroker({ brokers: config.kafkaBrokers, clientId: `${config.serviceName}-${config.instanceId}` }),
        },
        { provide: REDIS, useFactory: () => new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) },
        ...projections,
        {
          provide: PostgresEventStore,
          inject: [getDataSourceToken(), CLOCK, ...projections],
          useFactory: (dataSource: DataSource, clock: Clock, ...inline: InlineProjection[]) =>
            new PostgresEventStore(dataSource, { projections: inline, now: () => clock.now() }),
        },
        MessagingLifecycle,
        TracingShutdown,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useValue: validationPipe() },
      ],
      exports: [SERVICE_CONFIG, CLOCK, TOPICS, MESSAGE_BROKER, REDIS, PostgresEventStore, MessagingLifecycle, TypeOrmModule],
    };
  }
}
