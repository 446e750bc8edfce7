import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { QualitySecondsMessage, topics } from '@softphone/contracts';
import type { MessageBroker, Tail, TailMessage } from '@softphone/messaging';
import { MESSAGE_BROKER } from '@softphone/platform';
import type { Directory } from '../directory/directory.js';
import { EDGE_CONFIG, type EdgeConfig } from '../edge-config.js';
import { LiveHub } from './live-hub.js';
import { liveSecondsSkipped } from './live.metrics.js';
import { DIRECTORY } from './live.tokens.js';

/**
 * Reads quality-svc's measured seconds (the ephemeral seconds topic, every partition, from when the instance started)
 * and pushes each to the connections that may see it. Live only: not kept for resumes and not in positions (a page
 * that reconnects reloads a chart's history over REST). Only quality-svc may write the topic (its ACL), so the tenant
 * a message names is trusted.
 */
@Injectable()
export class SecondsFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SecondsFeed');
  private readonly topic: string;
  private tail: Tail | null = null;

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly hub: LiveHub,
  ) {
    this.topic = topics(config.kafkaTopicPrefix).qualitySeconds;
  }

  async onModuleInit(): Promise<void> {
    await this.broker.ensureTopics([this.topic], this.config.kafkaPartitions);
    const now = Date.now();
    this.tail = await this.broker.tail({
      topics: [this.topic],
      groupPrefix: `${this.config.kafkaTopicPrefix}edge-svc.seconds.${this.config.instanceId}`,
      from: () => ({ timestamp: now }),
      handler: (messages) => this.deliver(messages),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tail?.stop();
  }

  private deliver(messages: TailMessage[]): void {
    for (const message of messages) {
      let parsed;
      try {
        parsed = QualitySecondsMessage.safeParse(JSON.parse(message.value?.toString() ?? 'null'));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        liveSecondsSkipped.inc();
        this.logger.warn(`skipped ${message.topic}:${message.partition}@${message.offset}: not a QualitySecondsMessage`);
        continue;
      }
      this.hub.deliverSeconds(parsed.data, this.directory);
    }
  }
}
