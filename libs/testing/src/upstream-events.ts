import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { eventDefinition, QualitySecondsMessage, topics, type DomainEvent, type EventTopic } from '@softphone/contracts';
import { SERVICE_ACCESS } from '@softphone/kafka-access';
import { testKafka } from './kafka.js';

export interface UpstreamEvent {
  event: DomainEvent;
  tenantId: string;
  streamId: string;
  streamVersion: number;
  occurredAt?: string;
  correlationId?: string;
}

/** The service principal that owns (may write) an events topic. */
function ownerOf(topic: EventTopic): string {
  const owner = Object.entries(SERVICE_ACCESS).find(([, access]) => access.produces === topic)?.[0];
  if (!owner) throw new Error(`no service writes the ${topic} events`);
  return owner;
}

/**
 * Plays another service: publishes contract-valid events, with full envelopes,
 * on the test file's topics, the way that service's relay would (key = stream),
 * authenticated as that service's principal. Returns the envelopes it sent.
 */
export async function publishUpstream(topicPrefix: string, events: UpstreamEvent[]) {
  const t = topics(topicPrefix);
  const envelopes = events.map((e) => {
    const definition = eventDefinition(e.event.type);
    if (!definition) throw new Error(`unknown event type ${e.event.type}`);
    definition.data.parse(e.event.data);
    return {
      owner: ownerOf(definition.topic),
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
  const producers = new Map<string, Producer>();
  try {
    for (const { owner, topic, envelope } of envelopes) {
      let producer = producers.get(owner);
      if (!producer) {
        producer = (await testKafka(owner)).producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
        producers.set(owner, producer);
        await producer.connect();
      }
      await producer.send({ topic, acks: -1, messages: [{ key: envelope.streamId, value: JSON.stringify(envelope) }] });
    }
  } finally {
    await Promise.all([...producers.values()].map((p) => p.disconnect()));
  }
  return envelopes.map((e) => e.envelope);
}

/**
 * Plays quality-svc on the seconds topic: publishes contract-valid measured seconds (one message each, keyed by its
 * first call), authenticated as the topic's one writer.
 */
export async function publishSeconds(topicPrefix: string, messages: QualitySecondsMessage[]): Promise<void> {
  const writer = Object.entries(SERVICE_ACCESS).find(([, access]) => access.seconds === 'write')![0];
  const producer = (await testKafka(writer)).producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic: topics(topicPrefix).qualitySeconds,
      acks: -1,
      messages: messages.map((m) => ({ key: m.seconds[0].callId, value: JSON.stringify(QualitySecondsMessage.parse(m)) })),
    });
  } finally {
    await producer.disconnect();
  }
}
