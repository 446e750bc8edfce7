import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@softphone/testing';
import { openDatabase } from '../src/database.js';
import { PostgresEventStore } from '../src/postgres-event-store.js';
import type { InlineProjection } from '../src/projection.js';
import { EVENT_STORE_MIGRATIONS } from '../src/schema.js';

/** Counts the events of each stream, in a table of its own. */
export const countsProjection: InlineProjection = {
  name: 'stream-counts',
  handles: (type) => type.startsWith('tenant.'),
  apply: async (sql, event) => {
    await sql.execute(
      `INSERT INTO stream_counts (stream_id, n) VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET n = stream_counts.n + 1`,
      [event.streamId],
    );
  },
  reset: async (sql) => {
    await sql.execute('DELETE FROM stream_counts');
  },
};

/** An event store on a database of its own, with the stream-counting projection. */
export interface CountingStore {
  db: TestDatabase;
  dataSource: DataSource;
  store: PostgresEventStore;
  close(): Promise<void>;
}

export async function openCountingStore(label: string): Promise<CountingStore> {
  const db = await createTestDatabase(label);
  const dataSource = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS });
  await dataSource.query('CREATE TABLE stream_counts (stream_id text PRIMARY KEY, n int NOT NULL)');
  const store = new PostgresEventStore(dataSource, { projections: [countsProjection] });
  return {
    db,
    dataSource,
    store,
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
