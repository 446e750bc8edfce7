import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Topics } from '@softphone/contracts';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER, TOPICS } from '@softphone/platform';
import type { SecondsColumns, SecondsOwner } from '../ingestion/seconds-columns.js';
import { secondsMessages } from './seconds-json.js';

/**
 * The measured seconds of each committed checkpoint on the ephemeral seconds
 * topic (`softphone.quality.seconds`, an hour), for live charts: the seconds of
 * one samples partition's calls packed by up to 1,000 in a message keyed by that
 * partition (a call's seconds stay in order: a call is metered from one
 * partition). Best effort, after the commit: the seconds are in PostgreSQL
 * either way (history API), a chart may miss one.
 */
@Injectable()
export class SecondsPublisher {
  private readonly logger = new Logger('SecondsPublisher');

  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  /** `source` keys the messages: the samples partition the calls are metered from; the seconds of the calls `shown` lets through. */
  publish(tenantId: string, source: string, seconds: SecondsColumns, shown: (owner: SecondsOwner) => boolean): void {
    const key = `quality-seconds-${tenantId}:${source}`;
    const messages = secondsMessages(tenantId, seconds, shown).map((value) => ({ topic: this.topics.qualitySeconds, key, value }));
    if (messages.length === 0) return;
    this.broker.publish(messages).catch((error: unknown) => this.logger.warn(`measured seconds not published: ${String(error)}`));
  }
}
