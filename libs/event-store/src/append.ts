import { currentTraceParent } from '@softphone/correlation';
import { ConcurrencyError } from '@softphone/errors';
import { toEnvelope } from './event-codec.js';
import type { Sql } from './sql.js';
import type { EventMetadata, NewEvent, RecordedEvent } from './types.js';

/** Events to append to one stream, expected at a version (0: a new stream). */
export interface StreamAppend {
  streamId: string;
  expectedVersion: number;
  events: readonly NewEvent[];
  meta: EventMetadata;
}

/**
 * One prepared statement for any number of streams: each stream's versions
 * expected+1.. are inserted only if that stream is at its expected version
 * (version expected exists, or the stream is new). A writer that lost the race
 * either finds that condition false (no row back for its stream) or collides
 * with the winner on the unique (stream_id, stream_version) index: both become
 * a ConcurrencyError, never an overwrite or a gap. (With several streams, the
 * other streams' rows of a statement that found a stream stale are inserted:
 * the caller undoes them, UnitOfWork.appendAll by its savepoint.) The active
 * span's traceparent (if tracing) is kept with the events for the relay.
 */
const APPEND_SQL = `
INSERT INTO es_events (stream_id, stream_version, event_id, type, schema_version, occurred_at,
                       tenant_id, correlation_id, causation_id, data, trace_parent)
SELECT e.stream_id, e.version, e.id, e.type, e.schema_version, $1::timestamptz, e.tenant_id, e.correlation_id, e.causation_id,
       e.data::json, $2
FROM unnest($3::text[], $4::int[], $5::int[], $6::uuid[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[], $12::text[])
     AS e(stream_id, expected, version, id, type, schema_version, tenant_id, correlation_id, causation_id, data)
WHERE e.expected = 0 OR EXISTS (SELECT 1 FROM es_events x WHERE x.stream_id = e.stream_id AND x.stream_version = e.expected)
RETURNING stream_id, stream_version, position::text, transaction_id::text`;

const SERIALIZATION_FAILURE = '40001';
const UNIQUE_VIOLATION = '23505';

/** Appends to one stream: appendToStreams with one. */
export async function appendToStream(
  sql: Sql,
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  meta: EventMetadata,
  occurredAt: Date,
): Promise<RecordedEvent[]> {
  const [recorded] = await appendToStreams(sql, [{ streamId, expectedVersion, events, meta }], occurredAt);
  return recorded;
}

/** Appends to several streams in one statement, all or none: each stream's recorded events, in the order given. */
export async function appendToStreams(sql: Sql, appends: readonly StreamAppend[], occurredAt: Date): Promise<RecordedEvent[][]> {
  const each = appends.map(({ streamId, expectedVersion, events, meta }) => ({
    expectedVersion,
    envelopes: events.map((e, i) => toEnvelope(e, streamId, expectedVersion + i + 1, meta, occurredAt)),
  }));
  const rows = each.flatMap(({ expectedVersion, envelopes }) => envelopes.map((envelope) => ({ expectedVersion, envelope })));
  if (rows.length === 0) return appends.map(() => []);
  let inserted: Array<{ stream_id: string; stream_version: number; position: string; transaction_id: string }>;
  try {
    inserted = await sql.prepared('es_append', APPEND_SQL, [
      occurredAt.toISOString(),
      currentTraceParent(),
      rows.map((r) => r.envelope.streamId),
      rows.map((r) => r.expectedVersion),
      rows.map((r) => r.envelope.streamVersion),
      rows.map((r) => r.envelope.id),
      rows.map((r) => r.envelope.type),
      rows.map((r) => r.envelope.schemaVersion),
      rows.map((r) => r.envelope.tenantId),
      rows.map((r) => r.envelope.correlationId),
      rows.map((r) => r.envelope.causationId),
      rows.map((r) => JSON.stringify(r.envelope.data)),
    ]);
  } catch (error) {
    const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
    const sqlState = driverError?.code ?? code;
    if (sqlState === SERIALIZATION_FAILURE || sqlState === UNIQUE_VIOLATION) throw conflict(appends, error);
    throw error;
  }
  const byKey = new Map(inserted.map((r) => [`${r.stream_version}\u0000${r.stream_id}`, r]));
  if (byKey.size < rows.length) {
    const stale = appends.filter((a) => a.events.length > 0 && !byKey.has(`${a.expectedVersion + 1}\u0000${a.streamId}`));
    // Nothing of the statement may stay: the caller's transaction is given up (or rolled back to its savepoint).
    throw conflict(stale);
  }
  return each.map(({ envelopes }) =>
    envelopes.map((envelope) => {
      const row = byKey.get(`${envelope.streamVersion}\u0000${envelope.streamId}`)!;
      return { ...envelope, position: row.position, transactionId: row.transaction_id } as RecordedEvent;
    }),
  );
}

function conflict(appends: readonly StreamAppend[], cause?: unknown): ConcurrencyError {
  const error = new ConcurrencyError(appends.map((a) => `stream ${a.streamId} is no longer at version ${a.expectedVersion}`).join('; '));
  if (cause) Object.defineProperty(error, 'cause', { value: cause });
  return error;
}
