import type { EventTopic } from './define-event.js';

/**
 * Kafka topic names. A prefix (KAFKA_TOPIC_PREFIX) lets tests and several
 * environments share one broker without seeing each other's messages.
 */
export interface Topics {
  events(topic: EventTopic): string;
  readonly qualitySamples: string;
  deadLetter(consumerGroup: string): string;
  all(): string[];
}

const EVENT_TOPICS: readonly EventTopic[] = ['tenant', 'agent', 'call', 'quality'];

export function topics(prefix = ''): Topics {
  return {
    events: (topic) => `${prefix}softphone.${topic}.events`,
    qualitySamples: `${prefix}softphone.quality.samples`,
    deadLetter: (group) => `${prefix}softphone.dlq.${group}`,
    all() {
      return [...EVENT_TOPICS.map((t) => this.events(t)), this.qualitySamples];
    },
  };
}
