import { randomUUID } from 'node:crypto';
import { eventDefinition } from '@softphone/contracts';
import type { EventMetadata, NewEvent, RecordedEvent } from './types.js';

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

/**
 * Columns for publishing, named as EncodedEvent's fields (the rows are the
 * events, nothing is copied): the envelope is built by PostgreSQL, the relay
 * only splits rows, on a core of its own while PostgreSQL serialises. format()
 * over the stored data's JSON text (not parsed) and the text fields as JSON
 * strings (to_json) costs about two thirds of json_build_object's generic
 * per-argument conversion, and leaves out its spaces.
 */
export const ENCODED_COLUMNS = `position::text AS position, transaction_id::text AS "transactionId", event_id AS id, type,
  stream_id AS "streamId", correlation_id AS "correlationId", trace_parent AS "traceParent",
  format('{"id":"%s","type":%s,"schemaVersion":%s,"occurredAt":"%s","tenantId":%s,"streamId":%s,"streamVersion":%s,"correlationId":%s,"causationId":%s,"data":%s}',
    event_id, to_json(type), schema_version, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_json(tenant_id), to_json(stream_id), stream_version, to_json(correlation_id), coalesce(to_json(causation_id)::text, 'null'),
    data) AS envelope`;

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
