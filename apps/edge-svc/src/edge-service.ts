import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { KafkaBroker } from '@softphone/messaging';
import { ErrorFilter, MESSAGE_BROKER, MetricsController, SERVICE_CONFIG } from '@softphone/platform';
import { emptyDirectory } from './directory/directory.js';
import { DirectoryStore } from './directory/directory-store.js';
import { EDGE_CONFIG, type EdgeConfig } from './edge-config.js';
import { HealthController } from './health.controller.js';
import { LiveFeed } from './live/live-feed.js';
import { LiveHub } from './live/live-hub.js';
import { LiveWindow } from './live/live-window.js';
import { LiveGateway } from './live/live.gateway.js';
import { DIRECTORY } from './live/live.tokens.js';
import { SecondsFeed } from './live/seconds-feed.js';

@Module({})
class EdgeServiceModule {}

/**
 * edge-svc: the browsers' single origin. Serves the pages, proxies REST to the four services and carries the live
 * channel fed from Kafka. It owns no data: its window is rebuilt from Kafka at start, its directory from its last
 * checkpoint in Redis and the events after it.
 */
export function edgeServiceModule(config: EdgeConfig): DynamicModule {
  return {
    module: EdgeServiceModule,
    controllers: [HealthController, MetricsController],
    providers: [
      { provide: EDGE_CONFIG, useValue: config },
      // The metrics route reads METRICS_TOKEN from it.
      { provide: SERVICE_CONFIG, useValue: config },
      {
        provide: MESSAGE_BROKER,
        useFactory: () =>
          new KafkaBroker({
            brokers: config.kafkaBrokers,
            clientId: `${config.serviceName}-${config.instanceId}`,
            credentials: config.kafkaAuth,
            tls: config.kafkaTls,
          }),
      },
      { provide: DIRECTORY, useFactory: emptyDirectory },
      { provide: DirectoryStore, useFactory: () => new DirectoryStore(config.redisUrl, `${config.kafkaTopicPrefix}edge-svc:directory`) },
      { provide: LiveWindow, useFactory: () => new LiveWindow(config.live.windowMs, config.live.windowMaxEvents) },
      { provide: LiveHub, useFactory: () => new LiveHub(config.live.maxBufferedBytes) },
      LiveFeed,
      SecondsFeed,
      LiveGateway,
      { provide: APP_FILTER, useClass: ErrorFilter },
    ],
  };
}
