import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { inSpan, markActiveSpan } from '@softphone/correlation';
import { ConcurrencyError } from '@softphone/errors';
import { appendToStream } from './append.js';
import { APPENDED_CHANNEL } from './schema.js';
import { ENCODED_COLUMNS, EVENT_COLUMNS, fromRow, type EventRow } from './event-codec.js';
import type { InlineProjection } from './projection.js';
import { sqlOnDataSource, sqlOnRunner, type Sql } from './sql.js';
import type { Checkpoint, EncodedEvent, EventMetadata, NewEvent, RecordedEvent } from './types.js';
import { UnitOfWork } from './unit-of-work.js';

export interface EventStoreOptions {
  projections?: readonly InlineProjection[];
  now?: () => Date;
  /** Attempts of a unit of work that lost an optimistic-concurrency race. */
  maxAttempts?: number;
}

/**
 * How far the global log may be read: below the oldest transaction still in
 * flight (in the statement's snapshot) that could write to this database. A
 * transaction that pg_stat_activity shows in another database of the server
 * cannot, so it does not hold this store's readers back; one it cannot place
 * (just ended, or not visible to this role) counts, to be safe. With nothing
 * in flight here, the horizon is the snapshot's xmax.
 */
const HORIZON = `(SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE x::xid NOT IN (SELECT backend_xid FROM pg_stat_activity
                         WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()))`;

/**
 * Events after a checkpoint, in global order, stopping before any transaction
 * still in flight (its events may take lower positions than visible ones).
 */
const AFTER_CHECKPOINT = `FROM es_events
  WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
    AND transaction_id < ${HORIZON}
  ORDER BY es_events.transaction_id, es_events.position
  LIMIT $3`;

/**
 * readAll's rows, each envelope built by PostgreSQL: the envelopes of the limited
 * rows only. Built in the same query level, they were built for every row after
 * the checkpoint whenever the planner sorted a bitmap scan (a freshly loaded
 * table without statistics, a backlog): 40 ms instead of 1.5 ms per 500 rows.
 */
const READ_ENCODED = `SELECT ${ENCODED_COLUMNS} FROM (SELECT * ${AFTER_CHECKPOINT}) es_events
  ORDER BY es_events.transaction_id, es_events.position`;

/** Committed events after a checkpoint, whether readers can pass them yet or not. */
const UNREAD = `SELECT EXISTS (SELECT 1 FROM es_events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)) AS unread`;

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

/**
 * The event store of one service, in that service's PostgreSQL database.
 *
 * Global order is (transaction_id, position). A reader of the whole log must not
 * pass an event whose transaction is still in flight: positions are taken from
 * a sequence at insert time, so a transaction can commit a lower position after
 * a higher one is already visible. readAll therefore only returns events of
 * transactions older than the oldest one still running that could write here
 * (the snapshot's in-flight transactions, less those of other databases),
 * and all transactions that append use REPEATABLE READ, so a transaction that
 * saw another one's events always has a higher transaction id: per-stream order
 * and global order agree.
 */
export class PostgresEventStore {
  readonly sql: Sql;
  private readonly projections: readonly InlineProjection[];
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly emitter: EventEmitter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: EventStoreOptions = {},
    emitter?: EventEmitter,
  ) {
    this.sql = sqlOnDataSource(dataSource);
    this.projections = options.projections ?? [];
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 5;
    this.emitter = emitter ?? new EventEmitter().setMaxListeners(0);
  }

  /**
   * The same store over another pool of the same database (same projections,
   * clock and append notifications): work that must not queue behind request
   * traffic for a connection, such as due timers, gets a pool of its own.
   */
  overPool(dataSource: DataSource): PostgresEventStore {
    return new PostgresEventStore(dataSource, this.options, this.emitter);
  }

  /**
   * Runs work in one transaction and commits it. A lost race (stale expected
   * version, serialization failure, deadlock) re-runs the whole work, which
   * must therefore only touch the database through the unit of work.
   */
  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return inSpan('es.transaction', {}, async (span) => {
      for (let attempt = 1; ; attempt++) {
        try {
          span.setAttribute('es.attempts', attempt);
          return await this.runOnce(work);
        } catch (error) {
          if (!isLostRace(error) || attempt >= this.maxAttempts) throw toConcurrencyError(error);
          await sleep(Math.random() * 5 * attempt);
        }
      }
    });
  }

  /** Appends to one stream in one statement (or one transaction when inline projections exist). */
  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[], meta: EventMetadata): Promise<RecordedEvent[]> {
    if (this.projections.some((p) => events.some((e) => p.handles(e.type)))) {
      return this.transaction((uow) => uow.append(streamId, expectedVersion, events, meta));
    }
    const recorded = await appendToStream(this.sql, streamId, expectedVersion, events, meta, this.now());
    if (recorded.length > 0) this.emitter.emit('appended', recorded);
    return recorded;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const rows = await this.sql.rows<EventRow>(`SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 ORDER BY stream_version`, [
      streamId,
    ]);
    return rows.map(fromRow);
  }

  /** Up to `limit` events after `after`, in global order, none of them still in flight. */
  async readAll(after: Checkpoint, limit: number): Promise<RecordedEvent[]> {
    const rows = await this.sql.prepared<EventRow>('es_read_all', `SELECT ${EVENT_COLUMNS} ${AFTER_CHECKPOINT}`, [
      after.transactionId,
      after.position,
      limit,
    ]);
    return rows.map(fromRow);
  }

  /** readAll, with each envelope already serialised (for publishing). */
  async readAllEncoded(after: Checkpoint, limit: number): Promise<EncodedEvent[]> {
    return this.sql.prepared<EncodedEvent>('es_read_all_encoded', READ_ENCODED, [after.transactionId, after.position, limit]);
  }

  /**
   * True when committed events follow `after`: after readAll came to its end,
   * they wait behind a transaction still in flight, or became readable since
   * (that transaction ended, and appended nothing that would wake the reader).
   * Either way, worth reading again soon.
   */
  async hasUnread(after: Checkpoint): Promise<boolean> {
    const [row] = await this.sql.prepared<{ unread: boolean }>('es_unread', UNREAD, [after.transactionId, after.position]);
    return row.unread;
  }

  /** Tells the relay's leader, wherever it runs, that events were committed (LISTENers of APPENDED_CHANNEL). */
  async notifyAppended(): Promise<void> {
    await this.sql.execute(`SELECT pg_notify('${APPENDED_CHANNEL}', '')`);
  }

  /** Called after every commit that appended events in this process, with those events. */
  onAppended(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.emitter.on('appended', listener);
    return () => this.emitter.off('appended', listener);
  }

  /** Empties a read model and replays the whole log through it, blocking appends meanwhile. */
  async rebuild(projectionName: string, batchSize = 1000): Promise<number> {
    const projection = this.projections.find((p) => p.name === projectionName);
    if (!projection) throw new Error(`no inline projection named ${projectionName}`);
    return this.runOnce(async (uow) => {
      await uow.sql.execute('LOCK TABLE es_events IN EXCLUSIVE MODE');
      await projection.reset(uow.sql);
      let count = 0;
      let after: Checkpoint = { transactionId: '0', position: '0' };
      for (;;) {
        const rows = await uow.sql.rows<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM es_events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
           ORDER BY es_events.transaction_id, es_events.position LIMIT $3`,
          [after.transactionId, after.position, batchSize],
        );
        for (const event of rows.map(fromRow)) {
          if (projection.handles(event.type)) await projection.apply(uow.sql, event);
          after = event;
          count++;
        }
        if (rows.length < batchSize) return count;
      }
    });
  }

  private async runOnce<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let open = false;
    let uow: UnitOfWork;
    let result: T;
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      open = true;
      uow = new UnitOfWork(sqlOnRunner(runner), this.projections, this.now);
      result = await work(uow);
      await runner.query('COMMIT');
      open = false;
      markActiveSpan('committed');
    } finally {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
    // After the connection went back to the pool: a hook may run a transaction of its own.
    if (uow.appendedEvents.length > 0) this.emitter.emit('appended', uow.appendedEvents);
    await uow.committed();
    return result;
  }
}

/** A lost optimistic race: through TypeORM (driverError) or straight from pg (prepared statements). */
export function isLostRace(error: unknown): boolean {
  if (error instanceof ConcurrencyError) return true;
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  const sqlState = driverError?.code ?? code;
  return sqlState === SERIALIZATION_FAILURE || sqlState === DEADLOCK;
}

function toConcurrencyError(error: unknown): unknown {
  if (!isLostRace(error) || error instanceof ConcurrencyError) return error;
  const wrapped = new ConcurrencyError('a concurrent transaction changed the same data');
  Object.defineProperty(wrapped, 'cause', { value: error });
  return wrapped;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
