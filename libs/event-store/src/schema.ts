import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store tables.
 * - es_events: append-only; position orders events within a transaction, and
 *   transaction_id (xid8) lets readers wait for transactions still in flight
 *   (see PostgresEventStore.readAll). The unique (stream_id, stream_version)
 *   index is the optimistic-concurrency guard of every append. data is json
 *   (kept as written, never queried inside): cheaper in and out than jsonb.
 * - es_checkpoints: how far each reader of the global log has got.
 * - es_snapshots: folded state of long streams, keyed by the decider's snapshot name.
 */
export class EventStoreSchema1732400000000 implements MigrationInterface {
  name = 'EventStoreSchema1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE es_events (
        position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        tenant_id text NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        data json NOT NULL,
        CONSTRAINT es_events_stream_version UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`CREATE INDEX es_events_global_order ON es_events (transaction_id, position)`);
    await q.query(`
      CREATE TABLE es_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE es_snapshots (
        stream_id text NOT NULL,
        name text NOT NULL,
        version integer NOT NULL,
        state jsonb NOT NULL,
        PRIMARY KEY (stream_id, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE es_snapshots, es_checkpoints, es_events`);
  }
}

/** es_events.trace_parent: the W3C traceparent of the span that appended the event (null while tracing is off); the relay sends it as a Kafka header. */
export class EventStoreTraceParent1732400000003 implements MigrationInterface {
  name = 'EventStoreTraceParent1732400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE es_events ADD COLUMN trace_parent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE es_events DROP COLUMN trace_parent`);
  }
}

/** The channel on which an instance that is not the relay's leader says it committed events (NOTIFY after its commit). */
export const APPENDED_CHANNEL = 'es_events_appended';

/** The event store's migrations, in order. */
export const EVENT_STORE_MIGRATIONS = [EventStoreSchema1732400000000, EventStoreTraceParent1732400000003];
