import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase } from './databases.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const selectOne = async (url: string) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
  } finally {
    await client.end().catch(() => undefined);
  }
};

describe('a private PostgreSQL server', () => {
  let server: PrivatePostgres;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('keeps its databases across a stop and a start, and refuses connections while stopped', async () => {
    const db = await createTestDatabase('private_pg', server.url);
    expect(await selectOne(db.url)).toBe(1);
    await server.stop();
    await expect(selectOne(db.url)).rejects.toThrow();
    await server.start();
    expect(await selectOne(db.url)).toBe(1);
  }, 120_000);
});
