import pg from 'pg';
import { testEnv } from './environment.js';
import { uniqueName } from './names.js';

async function admin<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file (on the shared server, or on `server`,
 * e.g. a private one); drop() removes it (closing stray connections).
 */
export async function createTestDatabase(label: string, server = testEnv.postgresUrl): Promise<TestDatabase> {
  const name = uniqueName(label);
  await admin(server, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
