import { z } from 'zod';
import { eventDefinition, type DomainEvent } from './catalog.js';
import { Id, Timestamp } from './common.js';

/** Metadata every event carries, wherever it travels. */
export const EnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  occurredAt: Timestamp,
  tenantId: Id,
  streamId: z.string().min(1),
  streamVersion: z.number().int().positive(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  data: z.unknown(),
});

export type Envelope<E extends { type: string; data: unknown } = DomainEvent> = E & {
  id: string;
  schemaVersion: number;
  occurredAt: string;
  tenantId: string;
  streamId: string;
  streamVersion: number;
  correlationId: string;
  causationId: string | null;
};

/** An incoming message that does not satisfy its contract: it can never be handled. */
export class ContractViolation extends Error {
  constructor(
    message: string,
    readonly issues: unknown = undefined,
  ) {
    super(message);
    this.name = 'ContractViolation';
  }
}

/** Validates an envelope and its data against the catalog's schema for its type and version. */
export function parseEnvelope(raw: unknown): Envelope {
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new ContractViolation('invalid event envelope', envelope.error.issues);
  const definition = eventDefinition(envelope.data.type);
  if (!definition || definition.internal) throw new ContractViolation(`unknown event type ${envelope.data.type}`);
  if (definition.schemaVersion !== envelope.data.schemaVersion) {
    throw new ContractViolation(
      `${envelope.data.type} schema version ${envelope.data.schemaVersion} is not supported (expected ${definition.schemaVersion})`,
    );
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) throw new ContractViolation(`invalid data for ${envelope.data.type}`, data.error.issues);
  return { ...envelope.data, data: data.data } as Envelope;
}

/** Parses a message value (JSON text) into a validated envelope. */
export function decodeEnvelope(value: string | Buffer | null): Envelope {
  if (value === null) throw new ContractViolation('empty message');
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new ContractViolation('message is not JSON');
  }
  return parseEnvelope(json);
}
