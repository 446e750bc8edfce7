import { currentTraceParent } from '@softphone/correlation';
import { ConcurrencyError } from '@softphone/errors';
import { toEnvelope } from './event-codec.js';
import type { Sql } from './sql.js';
import type { EventMetadata, NewEvent, RecordedEvent } from './types.js';

/**
 * One prepared statement: insert versions expectedVersion+1.. only if the stream
 * is at expectedVersion (version expectedVersion exists, or the stream is new).
 * A writer that lost the race either finds that condition false (no row back)
 * or collides with the winner on the unique (stream_id, stream_version) index:
 * both become a ConcurrencyError, never an overwrite or a gap. The active
 * span's traceparent (if tracing) is kept with the events for the relay.
 */
const APPEND_SQL = `
INSERT INTO es_events (stream_id, stream_version, event_id, type, schema_version, occurred_at,
                       tenant_id, correlation_id, causation_id, data, trace_parent)
SELECT $1, $2::int + e.n, e.id, e.type, e.version, $3::timestamptz, $4, $5, $6, e.data::json, $11
FROM unnest($7::uuid[], $8::text[], $9::int[], $10::text[]) WITH ORDINALITY AS e(id, type, version, data, n)
WHERE $2::int = 0 OR EXISTS (SELECT 1 FROM es_events WHERE stream_id = $1 AND stream_version = $2::int)
RETURNING stream_version, position::text, transaction_id::text`;

const SERIALIZATION_FAILURE = '40001';
const UNIQUE_VIOLATION = '23505';

export async function appendToStream(
  sql: Sql,
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  meta: EventMetadata,
  occurredAt: Date,
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const envelopes = events.map((e, i) => toEnvelope(e, streamId, expectedVersion + i + 1, meta, occurredAt));
  let rows: Array<{ stream_version: number; position: string; transaction_id: string }>;
  try {
    rows = await sql.prepared('es_append', APPEND_SQL, [
      streamId,
      expectedVersion,
      occurredAt.toISOString(),
      meta.tenantId,
      meta.correlationId,
      meta.causationId ?? null,
      envelopes.map((e) => e.id),
      envelopes.map((e) => e.type),
      envelopes.map((e) => e.schemaVersion),
      envelopes.map((e) => JSON.stringify(e.data)),
      currentTraceParent(),
    ]);
  } catch (error) {
    const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
    const sqlState = driverError?.code ?? code;
    if (sqlState === SERIALIZATION_FAILURE || sqlState === UNIQUE_VIOLATION) throw conflict(streamId, expectedVersion, error);
    throw error;
  }
  if (rows.length === 0) throw conflict(streamId, expectedVersion);
  const byVersion = new Map(rows.map((r) => [r.stream_version, r]));
  return envelopes.map((envelope) => {
    const row = byVersion.get(envelope.streamVersion)!;
    return { ...envelope, position: row.position, transactionId: row.transaction_id } as RecordedEvent;
  });
}

function conflict(streamId: string, expectedVersion: number, cause?: unknown): ConcurrencyError {
  const error = new ConcurrencyError(`stream ${streamId} is no longer at version ${expectedVersion}`);
  if (cause) Object.defineProperty(error, 'cause', { value: cause });
  return error;
}
