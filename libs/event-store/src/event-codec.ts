import { randomUUID } from 'node:crypto';
import { eventDefinition } from '@softphone/contracts';
import type { EncodedEvent, EventMetadata, NewEvent, RecordedEvent } from './types.js';

export interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  tenant_id: string;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
}

export const EVENT_COLUMNS = `position::text, transaction_id::text, stream_id, stream_version, event_id, type,
  schema_version, occurred_at, tenant_id, correlation_id, causation_id, data`;

/** Columns for publishing: the data stays JSON text, it is not parsed to be re-serialised. */
export const ENCODED_COLUMNS = `position::text, transaction_id::text, stream_id, stream_version, event_id, type,
  schema_version, occurred_at, tenant_id, correlation_id, causation_id, data::text AS data, trace_parent`;

/** The envelope as the relay publishes it, the data's JSON text spliced in as is. */
export function toEncoded(row: EventRow & { data: string; trace_parent: string | null }): EncodedEvent {
  const head = JSON.stringify({
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at.toISOString(),
    tenantId: row.tenant_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
  });
  return {
    position: row.position,
    transactionId: row.transaction_id,
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    correlationId: row.correlation_id,
    traceParent: row.trace_parent,
    envelope: `${head.slice(0, -1)},"data":${row.data}}`,
  };
}

export function fromRow(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at.toISOString(),
    tenantId: row.tenant_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: row.data,
    position: row.position,
    transactionId: row.transaction_id,
  } as RecordedEvent;
}

/** Checks an event against its contract before it is stored, and gives it an envelope. */
export function toEnvelope(
  event: NewEvent,
  streamId: string,
  streamVersion: number,
  meta: EventMetadata,
  occurredAt: Date,
): Omit<RecordedEvent, 'position' | 'transactionId'> {
  const definition = eventDefinition(event.type);
  if (!definition) throw new Error(`cannot append ${event.type}: not in the event catalog`);
  const parsed = definition.data.safeParse(event.data);
  if (!parsed.success) {
    throw new Error(`cannot append ${event.type}: data violates its contract: ${parsed.error.message}`);
  }
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: definition.schemaVersion,
    occurredAt: occurredAt.toISOString(),
    tenantId: meta.tenantId,
    streamId,
    streamVersion,
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? null,
    data: parsed.data,
  } as Omit<RecordedEvent, 'position' | 'transactionId'>;
}
