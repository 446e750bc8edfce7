import { Inject, Injectable, Logger } from '@nestjs/common';
import type { QualitySecond, QualitySecondsMessage, Topics } from '@softphone/contracts';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER, TOPICS } from '@softphone/platform';
import { secondMetrics, type MeteredSecond } from '../metering/call-meter.js';

export interface CallSeconds {
  callId: string;
  agentId: string | null;
  seconds: readonly MeteredSecond[];
}

const toQualitySecond = (callId: string, agentId: string | null, s: MeteredSecond): QualitySecond => ({
  callId,
  agentId,
  second: new Date(s.atMs).toISOString(),
  level: s.level,
  metrics: secondMetrics(s.worst),
  flags: s.flags,
});

/** Seconds per message: about 250 bytes each, well under Kafka's 1 MB message. */
const SECONDS_PER_MESSAGE = 1_000;

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

  /** `source` keys the messages: the samples partition the calls are metered from. */
  publish(tenantId: string, source: string, calls: readonly CallSeconds[]): void {
    const seconds = calls.flatMap(({ callId, agentId, seconds: list }) => list.map((s) => toQualitySecond(callId, agentId, s)));
    const messages = [];
    for (let i = 0; i < seconds.length; i += SECONDS_PER_MESSAGE) {
      const message: QualitySecondsMessage = { tenantId, seconds: seconds.slice(i, i + SECONDS_PER_MESSAGE) };
      messages.push({ topic: this.topics.qualitySeconds, key: `quality-seconds-${tenantId}:${source}`, value: JSON.stringify(message) });
    }
    if (messages.length === 0) return;
    this.broker.publish(messages).catch((error: unknown) => this.logger.warn(`measured seconds not published: ${String(error)}`));
  }
}
