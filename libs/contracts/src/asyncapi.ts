import { z } from 'zod';
import { eventCatalog } from './catalog.js';
import type { EventDefinition, EventTopic } from './define-event.js';
import { EnvelopeSchema } from './envelope.js';
import { QualitySamplesMessage, QualitySecondsMessage } from './events/quality.js';
import { topics } from './topics.js';

type Json = Record<string, unknown>;

const KAFKA_BINDING_VERSION = '0.5.0';
const FAMILIES: readonly EventTopic[] = ['tenant', 'agent', 'call', 'quality'];

/** JSON Schema (draft-07, the AsyncAPI schema format's base) of a zod schema, as a consumer must send or accept it. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return rest;
}

const ref = (path: string) => ({ $ref: `#/${path}` });
const channelId = (family: EventTopic) => `${family}Events`;
/** Component ids keep the event type's dots: `tenant.created`. */
const messageId = (definition: EventDefinition) => definition.type;

/** One event type: the envelope, with its type and schema version fixed, and its data. */
function eventMessage(definition: EventDefinition): Json {
  return {
    name: definition.type,
    title: `${definition.type} v${definition.schemaVersion}`,
    summary: definition.description,
    contentType: 'application/json',
    correlationId: ref('components/correlationIds/envelope'),
    headers: ref('components/schemas/EventHeaders'),
    payload: {
      allOf: [
        ref('components/schemas/Envelope'),
        {
          type: 'object',
          properties: {
            type: { const: definition.type },
            schemaVersion: { const: definition.schemaVersion },
            data: jsonSchema(definition.data),
          },
        },
      ],
    },
    bindings: {
      kafka: {
        key: { type: 'string', description: "the stream id: one aggregate's events stay in order" },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/** An operation of the backend on one of its channels, with the messages it carries. */
const operation = (action: 'send' | 'receive', channel: string, title: string, summary: string, messages: string[]) => ({
  action,
  channel: ref(`channels/${channel}`),
  title,
  summary,
  messages: messages.map((m) => ref(`channels/${channel}/messages/${m}`)),
});

/** Topics are created by the services at start-up, with KAFKA_PARTITIONS partitions, kept forever (the history read models rebuild from). */
const KAFKA_TOPIC = { kafka: { topicConfiguration: { 'retention.ms': -1 }, bindingVersion: KAFKA_BINDING_VERSION } };

/**
 * The AsyncAPI 3.1 document of the backend's Kafka interface, generated from the
 * contracts: every topic, its key, the envelope, every event's schema and version,
 * the quality samples gateways send, and the dead letters. Served by every service
 * at /docs/asyncapi.json; docs/asyncapi.json is this, kept up to date by a test.
 */
export function asyncApiDocument(): Json {
  const names = topics();
  const families = FAMILIES.map((family) => ({ family, definitions: eventCatalog.filter((d) => d.topic === family) }));
  const channels: Json = {};
  const operations: Json = {};
  for (const { family, definitions } of families) {
    const id = channelId(family);
    channels[id] = {
      address: names.events(family),
      title: `${family} events`,
      description: `Every event of ${family}-svc, in the order of each stream (key = stream id), published by its outbox relay at least once. KAFKA_PARTITIONS partitions (6 by default); the name is prefixed with KAFKA_TOPIC_PREFIX when set.`,
      messages: Object.fromEntries(definitions.map((d) => [messageId(d), ref(`components/messages/${messageId(d)}`)])),
      bindings: KAFKA_TOPIC,
    };
    operations[`publish${family[0].toUpperCase()}${family.slice(1)}Events`] = operation(
      'send',
      id,
      `${family}-svc publishes its events`,
      `The outbox relay of ${family}-svc sends each committed event once it is stored (at least once, in stream order).`,
      definitions.map(messageId),
    );
  }
  channels.qualitySamples = {
    address: `${names.qualitySamplesPrefix}{tenantId}`,
    title: 'quality samples',
    description:
      "Per-second counters (or browsers' getStats reports) of one tenant's calls, produced by that tenant's WebRTC gateways (only they may write the topic: a Kafka ACL per gateway principal) and by quality-svc for the samples posted to its HTTP API (one message per call, keyed by call); quality-svc takes the tenant from the topic, never from the payload, and computes each second's network quality. Key: the gateway or the call, always the same one for a call, so its samples stay in order on one partition (whose owning quality-svc instance keeps the call's meter). Created when a gateway is bound to the tenant (npm run kafka -- add-gateway) or by quality-svc at a tenant's first HTTP samples, kept a day.",
    parameters: { tenantId: { description: 'the tenant whose gateways write the topic' } },
    messages: { qualitySampleBatch: ref('components/messages/qualitySampleBatch') },
    bindings: { kafka: { topicConfiguration: { 'retention.ms': 86_400_000 }, bindingVersion: KAFKA_BINDING_VERSION } },
  };
  operations.receiveQualitySamples = operation(
    'receive',
    'qualitySamples',
    'quality-svc receives quality samples',
    'Each call of a batch is admitted alone (schema, ranges, within 60 s of the message time): a bad call is dropped, a batch with no admissible call goes to the dead letters with the reason.',
    ['qualitySampleBatch'],
  );
  channels.qualitySeconds = {
    address: names.qualitySeconds,
    title: 'measured seconds',
    description:
      "Each committed batch of measured seconds (level, metrics of the second's worst stream, flags), for live per-second charts: the seconds of the calls metered from one samples partition, up to 1,000 per message, keyed by that partition (`quality-seconds-<tenant>:<partition>`: a call's seconds stay in order). Ephemeral telemetry, not events: kept an hour (provisioned with the environment); the history API has every second. Written by quality-svc after its commit (best effort), read by edge-svc.",
    messages: { qualitySeconds: ref('components/messages/qualitySeconds') },
    bindings: { kafka: { topicConfiguration: { 'retention.ms': 3_600_000 }, bindingVersion: KAFKA_BINDING_VERSION } },
  };
  operations.publishQualitySeconds = operation(
    'send',
    'qualitySeconds',
    'quality-svc publishes measured seconds',
    'After each committed checkpoint of a samples partition, the seconds it measured, packed.',
    ['qualitySeconds'],
  );
  channels.deadLetters = {
    address: `${names.deadLetter('{consumerGroup}')}`,
    title: 'dead letters',
    description:
      'A message a consumer can never apply (fails its contract, or its handler fails for good), with the reason in its headers.',
    parameters: { consumerGroup: { description: '<service>.<purpose> of the consumer that gave up, e.g. agent-svc.tenant-directory' } },
    messages: { deadLetter: ref('components/messages/deadLetter') },
  };
  operations.publishDeadLetters = operation(
    'send',
    'deadLetters',
    'a consumer sets a message aside',
    'The original key and value, unchanged, with dlq-* headers.',
    ['deadLetter'],
  );

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Softphone backend: events',
      version: '1.0.0',
      description:
        'The Kafka interface of the WebRTC agent-softphone backend, generated from libs/contracts. Every event travels in the envelope below; consumers validate each message against its schema and version.',
    },
    defaultContentType: 'application/json',
    servers: {
      development: {
        host: '127.0.0.1:9094',
        protocol: 'kafka',
        description:
          'The broker `npm start` runs (KAFKA_BROKERS elsewhere). Every client authenticates as its own principal and may do only what its ACLs grant (docs/runbook.md, "Kafka principals and ACLs").',
        security: [ref('components/securitySchemes/scramSha512')],
      },
    },
    channels,
    operations,
    components: {
      securitySchemes: {
        scramSha512: { type: 'scramSha512', description: 'SASL/SCRAM-SHA-512: each service, gateway and the admin has its own principal.' },
      },
      schemas: {
        Envelope: jsonSchema(EnvelopeSchema),
        EventHeaders: {
          type: 'object',
          properties: {
            'event-type': { type: 'string', description: 'the envelope type' },
            'event-id': { type: 'string', format: 'uuid', description: 'the envelope id' },
            'correlation-id': { type: 'string', description: 'the envelope correlationId' },
          },
        },
        DeadLetterHeaders: {
          type: 'object',
          properties: Object.fromEntries(
            [
              ['dlq-error', 'why the consumer gave up'],
              ['dlq-issues', 'the contract violations, JSON (null when the handler failed)'],
              ['dlq-attempts', 'attempts made'],
              ['dlq-consumer-group', 'the consumer group'],
              ['dlq-original-topic', 'where the message was'],
              ['dlq-original-partition', 'its partition'],
              ['dlq-original-offset', 'its offset'],
              ['dlq-failed-at', 'ISO-8601 time'],
            ].map(([name, description]) => [name, { type: 'string', description }]),
          ),
        },
      },
      correlationIds: {
        envelope: { description: 'Carried by every event caused by one request or message.', location: '$message.payload#/correlationId' },
      },
      messages: {
        ...Object.fromEntries(eventCatalog.map((d) => [messageId(d), eventMessage(d)])),
        qualitySampleBatch: {
          name: 'qualitySampleBatch',
          title: 'quality sample batch',
          summary:
            "Cumulative counters of calls of the topic's tenant, as Table 2 of the guide expects them; a tenantId, when given, must be the topic's (otherwise the message is dead-lettered).",
          contentType: 'application/json',
          payload: jsonSchema(QualitySamplesMessage),
          bindings: { kafka: { key: { type: 'string', description: 'the gateway or the call' }, bindingVersion: KAFKA_BINDING_VERSION } },
        },
        qualitySeconds: {
          name: 'qualitySeconds',
          title: 'measured seconds',
          summary: "One call's seconds measured in one batch (several per message when the batch covered several seconds of the call).",
          contentType: 'application/json',
          payload: jsonSchema(QualitySecondsMessage),
          bindings: {
            kafka: { key: { type: 'string', description: 'call-quality-<tenantId>:<callId>' }, bindingVersion: KAFKA_BINDING_VERSION },
          },
        },
        deadLetter: {
          name: 'deadLetter',
          title: 'dead letter',
          summary: 'The original message, value unchanged (an event envelope or a sample batch, or what could not be parsed).',
          headers: ref('components/schemas/DeadLetterHeaders'),
          payload: {},
        },
      },
    },
  };
}
