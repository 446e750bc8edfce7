import { Inject, Injectable, Logger } from '@nestjs/common';
import type { QualitySecond, QualitySecondsMessage, Topics } from '@softphone/contracts';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER, TOPICS } from '@softphone/platform';
import { secondMetrics, type MeteredSecond } from '../metering/call-meter.js';

export interface CallSeconds {
  tenantId: string;
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

/**
 * The measured seconds of each committed batch on the ephemeral seconds topic
 * (`softphone.quality.seconds`, an hour), one message per call keyed by call,
 * for live charts. Best effort, after the commit: the seconds are in
 * PostgreSQL either way (history API), a chart may miss one.
 */
@Injectable()
export class SecondsPublisher {
  private readonly logger = new Logger('SecondsPublisher');

  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  publish(calls: readonly CallSeconds[]): void {
    const messages = calls
      .filter((c) => c.seconds.length > 0)
      .map(({ tenantId, callId, agentId, seconds }) => {
        const message: QualitySecondsMessage = { tenantId, seconds: seconds.map((s) => toQualitySecond(callId, agentId, s)) };
        return { topic: this.topics.qualitySeconds, key: `call-quality-${tenantId}:${callId}`, value: JSON.stringify(message) };
      });
    if (messages.length === 0) return;
    this.broker.publish(messages).catch((error: unknown) => this.logger.warn(`measured seconds not published: ${String(error)}`));
  }
}
