import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { eventDefinition, topics, type DomainEvent } from '@softphone/contracts';
import { testEnv } from './environment.js';

export interface UpstreamEvent {
  event: DomainEvent;
  tenantId: string;
  streamId: string;
  streamVersion: number;
  occurredAt?: string;
  correlationId?: string;
}

/**
 * Plays another service: publishes contract-valid events, with full envelopes,
 * on the test file's topics, the way that service's relay would (key = stream).
 * Returns the envelopes it sent.
 */
export async function publishUpstream(topicPrefix: string, events: UpstreamEvent[]) {
  const t = topics(topicPrefix);
  const kafka = new Kafka({ clientId: 'test-upstream', brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
  const envelopes = events.map((e) => {
    const definition = eventDefinition(e.event.type);
    if (!definition) throw new Error(`unknown event type ${e.event.type}`);
    definition.data.parse(e.event.data);
    return {
      topic: t.events(definition.topic),
      envelope: {
        id: randomUUID(),
        type: e.event.type,
        schemaVersion: definition.schemaVersion,
        occurredAt: e.occurredAt ?? new Date().toISOString(),
        tenantId: e.tenantId,
        streamId: e.streamId,
        streamVersion: e.streamVersion,
        correlationId: e.correlationId ?? randomUUID(),
        causationId: null,
        data: e.event.data,
      },
    };
  });
  await producer.connect();
  try {
    for (const { topic, envelope } of envelopes) {
      await producer.send({ topic, acks: -1, messages: [{ key: envelope.streamId, value: JSON.stringify(envelope) }] });
    }
  } finally {
    await producer.disconnect();
  }
  return envelopes.map((e) => e.envelope);
}
