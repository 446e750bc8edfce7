import { randomUUID } from 'node:crypto';
// The standalone matcher library (Jest's own), as in decider-spec.ts.
import { expect } from 'expect';
import type { DataSource } from 'typeorm';
import { eventDefinition, type DomainEvent, type Envelope } from '@softphone/contracts';
import { openDatabase, sqlOnDataSource, sqlOnRunner, type MigrationClass, type RecordedEvent, type Sql } from '@softphone/event-store';
import { createTestDatabase, type TestDatabase } from '@softphone/testing';

/**
 * What a projection spec replays: an inline projection (`InlineProjection` of
 * @softphone/event-store), or the facts half of a consumer (what it writes of
 * other services' events), given the same `apply(sql, event)` shape.
 */
export interface ReplayableProjection {
  apply(sql: Sql, event: RecordedEvent): Promise<void>;
  /** Inline projections only see the events they handle (as `store.rebuild` does). */
  handles?(eventType: string): boolean;
  /** Empties the read model before a rebuild; without it the spec truncates `tables`. */
  reset?(sql: Sql): Promise<void>;
}

/** A read model's content: every row of every table, as JSON, ordered by its columns left to right. */
export type ReadModel = Record<string, unknown[]>;

export interface ProjectionSpecOptions {
  /** The migrations that create the read model's tables (usually the service's own). */
  migrations: MigrationClass[];
  /** The tables the projection writes: what is compared. */
  tables: string[];
}

export interface ProjectionSpec {
  /**
   * Replays `events` into empty tables, then rebuilds (reset, or truncation, and
   * the same replay again) and expects the same read model: a rebuild from the
   * log gives what live operation gave. Returns that read model, for assertions.
   */
  expectRebuildable(projection: ReplayableProjection, events: RecordedEvent[]): Promise<ReadModel>;
  /**
   * expectRebuildable, and each event applied twice in a row (a message delivered
   * again, at least once) gives the same read model as once. For consumer-side
   * projections; an inline projection never sees an event twice (and its unique
   * indexes may rightly refuse one).
   */
  expectIdempotent(projection: ReplayableProjection, events: RecordedEvent[]): Promise<ReadModel>;
  /** Closes the pool and drops the spec's database. */
  close(): Promise<void>;
}

/**
 * A fresh database with `migrations` applied, in which a projection's replays are
 * compared. Every replay must write at least one row, so that "the same" cannot
 * mean "empty twice".
 *
 *   const spec = await projectionSpec({ migrations: [TenantsView1732400010000], tables: ['tenants_view'] });
 *   const model = await spec.expectRebuildable(new TenantsProjection(), recordedEvents('t1', [created, suspended]));
 *   expect(model.tenants_view).toMatchObject([{ status: 'suspended' }]);
 */
export async function projectionSpec(options: ProjectionSpecOptions): Promise<ProjectionSpec> {
  const database: TestDatabase = await createTestDatabase('projection');
  const dataSource = await openDatabase({ url: database.url, migrations: options.migrations, poolSize: 2 });
  const sql = sqlOnDataSource(dataSource);
  const truncate = () => sql.execute(`TRUNCATE ${options.tables.map((t) => `"${t}"`).join(', ')}`);

  const replay = async (projection: ReplayableProjection, events: RecordedEvent[], times: number): Promise<ReadModel> => {
    for (const event of events) {
      if (projection.handles && !projection.handles(event.type)) continue;
      for (let i = 0; i < times; i++) await inTransaction(dataSource, (tx) => projection.apply(tx, event));
    }
    const model = await readModel(sql, options.tables);
    expect(Object.values(model).flat().length).toBeGreaterThan(0);
    return model;
  };

  const expectRebuildable = async (projection: ReplayableProjection, events: RecordedEvent[]) => {
    await truncate();
    const live = await replay(projection, events, 1);
    await (projection.reset ? inTransaction(dataSource, (tx) => projection.reset!(tx)) : truncate());
    expect(await replay(projection, events, 1)).toEqual(live);
    return live;
  };

  return {
    expectRebuildable,
    async expectIdempotent(projection, events) {
      const once = await expectRebuildable(projection, events);
      await truncate();
      expect(await replay(projection, events, 2)).toEqual(once);
      return once;
    },
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

async function inTransaction(dataSource: DataSource, work: (sql: Sql) => Promise<void>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await work(sqlOnRunner(runner));
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

async function readModel(sql: Sql, tables: string[]): Promise<ReadModel> {
  const model: ReadModel = {};
  for (const table of tables) {
    const columns = await sql.rows<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
       ORDER BY ordinal_position`,
      [table],
    );
    const order = columns.map((c) => `t."${c.name}"`).join(', ');
    const rows = await sql.rows<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY ${order}`);
    model[table] = rows.map((r) => r.row);
  }
  return model;
}

/**
 * Events as the store (or a consumer) hands them over: full envelopes, one second
 * apart from 2026-01-01T00:00:00Z, each checked against its contract.
 */
export function recordedEvents(tenantId: string, events: DomainEvent[], streamId = `${tenantId}-stream`): RecordedEvent[] {
  return events.map((event, i) => {
    const definition = eventDefinition(event.type);
    if (!definition) throw new Error(`unknown event type ${event.type}`);
    definition.data.parse(event.data);
    const envelope: Envelope = {
      ...event,
      id: randomUUID(),
      schemaVersion: definition.schemaVersion,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
      tenantId,
      streamId,
      streamVersion: i + 1,
      correlationId: `projection-spec-${i + 1}`,
      causationId: null,
    };
    return { ...envelope, position: String(i + 1), transactionId: String(i + 1) };
  });
}
