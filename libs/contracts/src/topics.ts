import type { EventTopic } from './define-event.js';

/**
 * Kafka topic names. A prefix (KAFKA_TOPIC_PREFIX) lets tests and several
 * environments share one broker without seeing each other's messages.
 *
 * Quality samples travel on one topic per tenant: a gateway's principal may
 * write only its own tenant's topic (an ACL), and quality-svc takes the tenant
 * of a sample from the topic it came on, never from the payload.
 */
export interface Topics {
  events(topic: EventTopic): string;
  /** The samples topic of one tenant. */
  qualitySamples(tenantId: string): string;
  /** What every tenant's samples topic starts with. */
  readonly qualitySamplesPrefix: string;
  /** The tenant whose samples topic this is, or null for any other topic. */
  tenantOfSamplesTopic(topic: string): string | null;
  /** Measured seconds of every call, for live charts (ephemeral, keyed by call). */
  readonly qualitySeconds: string;
  deadLetter(consumerGroup: string): string;
  /** The event topics. */
  all(): string[];
}

export const EVENT_TOPICS: readonly EventTopic[] = ['tenant', 'agent', 'call', 'quality'];

/** What a tenant id may be to name a topic (Kafka: letters, digits, . _ -). */
const TOPIC_SAFE = /^[A-Za-z0-9._-]{1,200}$/;

export function topics(prefix = ''): Topics {
  const samplesPrefix = `${prefix}softphone.quality.samples.`;
  return {
    events: (topic) => `${prefix}softphone.${topic}.events`,
    qualitySamples: (tenantId) => {
      if (!TOPIC_SAFE.test(tenantId)) throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot name a samples topic`);
      return `${samplesPrefix}${tenantId}`;
    },
    qualitySamplesPrefix: samplesPrefix,
    tenantOfSamplesTopic: (topic) => {
      if (!topic.startsWith(samplesPrefix)) return null;
      const tenantId = topic.slice(samplesPrefix.length);
      return TOPIC_SAFE.test(tenantId) ? tenantId : null;
    },
    qualitySeconds: `${prefix}softphone.quality.seconds`,
    deadLetter: (group) => `${prefix}softphone.dlq.${group}`,
    all() {
      return EVENT_TOPICS.map((t) => this.events(t));
    },
  };
}
