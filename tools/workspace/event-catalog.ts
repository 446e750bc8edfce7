import { z } from 'zod';
import { eventCatalog, topics, type EventDefinition } from '@softphone/contracts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  description?: string;
  format?: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`;
  if (schema.format) return `${String(schema.type)} (${schema.format})`;
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
}

function rows(schema: JsonSchema, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const field = `${prefix}${name}`;
    const objectLike = property.properties ? property : property.items?.properties ? property.items : undefined;
    const required = schema.required?.includes(name) ? 'yes' : 'no';
    const line = `| \`${field}\` | ${objectLike ? (property.type === 'array' ? 'object[]' : 'object') : typeOf(property)} | ${required} | ${property.description ?? ''} |`;
    return objectLike ? [line, ...rows(objectLike, `${field}${property.type === 'array' ? '[]' : ''}.`)] : [line];
  });
}

function section(definition: EventDefinition): string {
  const schema = z.toJSONSchema(definition.data, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return [
    `### \`${definition.type}\` (v${definition.schemaVersion})`,
    '',
    definition.description,
    '',
    '| field | type | required | notes |',
    '|---|---|---|---|',
    ...rows(schema),
    '',
  ].join('\n');
}

/** docs/event-catalog.md, generated from the contracts (npm run docs:events). */
export function renderEventCatalog(): string {
  const t = topics();
  const families = ['tenant', 'agent', 'call', 'quality'] as const;
  return [
    '# Event catalog',
    '',
    'Generated from `libs/contracts` by `npm run docs:events`; a test fails when it is out of date.',
    '',
    'Every event travels in an envelope: `id` (uuid), `type`, `schemaVersion`, `occurredAt` (ISO-8601),',
    '`tenantId`, `streamId`, `streamVersion`, `correlationId`, `causationId` (the event or request that',
    "caused it, or null) and `data` (below). Kafka key: the stream id, so one aggregate's events stay in",
    'order. Consumers validate every message against these schemas; a message that fails goes to the',
    "consumer's dead-letter topic `softphone.dlq.<service>.<purpose>`.",
    '',
    ...families.flatMap((family) => [
      `## ${family} events — topic \`${t.events(family)}\``,
      '',
      ...eventCatalog.filter((d) => d.topic === family).map(section),
    ]),
  ].join('\n');
}
