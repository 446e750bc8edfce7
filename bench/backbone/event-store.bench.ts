/**
 * Event store appends/s with 1 and 16 concurrent writers (one event per append,
 * each writer on its own stream with an expected version), against plain
 * INSERTs into a table on the same server and against Emmett's PostgreSQL event
 * store, each in its own fresh database.
 */
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { EVENT_STORE_MIGRATIONS, openDatabase, PostgresEventStore } from '@softphone/event-store';
import { benchDatabase, fmt, table, throughput } from '../support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const POOL = 20;
const event = {
  type: 'call.media-changed',
  data: { callId: 'call-1', change: 'muted', media: { mode: 'voice', muted: true, cameraOn: false, screenShare: null } },
};
const meta = { tenantId: 'bench', correlationId: 'bench' };

async function ours(writers: number): Promise<number> {
  const db = await benchDatabase('ours');
  const dataSource = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: POOL });
  const store = new PostgresEventStore(dataSource);
  const versions = new Array<number>(writers).fill(0);
  try {
    return await throughput(writers, SECONDS * 1000, async (w) => {
      await store.append(`stream-${w}`, versions[w], [event], meta);
      versions[w]++;
    });
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

async function plainInserts(writers: number): Promise<number> {
  const db = await benchDatabase('plain');
  const pool = new pg.Pool({ connectionString: db.url, max: POOL });
  await pool.query(
    'CREATE TABLE plain_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL)',
  );
  const data = JSON.stringify(event.data);
  try {
    return await throughput(writers, SECONDS * 1000, async (w) => {
      await pool.query('INSERT INTO plain_events (stream_id, type, data) VALUES ($1, $2, $3)', [`stream-${w}`, event.type, data]);
    });
  } finally {
    await pool.end();
    await db.drop();
  }
}

async function emmett(writers: number): Promise<number> {
  const db = await benchDatabase('emmett');
  const store = getPostgreSQLEventStore(db.url, { connectionOptions: { pooled: true } } as never);
  await store.schema.migrate();
  const versions = new Array<bigint | undefined>(writers).fill(undefined);
  try {
    return await throughput(writers, SECONDS * 1000, async (w) => {
      const result = await store.appendToStream(`stream-${w}`, [{ type: event.type, data: event.data }], {
        expectedStreamVersion: versions[w] ?? 'STREAM_DOES_NOT_EXIST',
      } as never);
      versions[w] = result.nextExpectedStreamVersion;
    });
  } finally {
    await store.close();
    await db.drop();
  }
}

export default async function run(): Promise<void> {
  const rows = [];
  for (const writers of [1, 16]) {
    const o = await ours(writers);
    const p = await plainInserts(writers);
    const e = await emmett(writers);
    rows.push({
      writers,
      'ours appends/s': fmt(o),
      'plain INSERT/s': fmt(p),
      'emmett appends/s': fmt(e),
      'ours / plain': fmt(o / p, 2),
      'ours / emmett': fmt(o / e, 2),
    });
  }
  table(rows);
  process.stdout.write(`(${SECONDS} s per measurement after a warm-up; target: ours / emmett >= 1.5)\n`);
}
