import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivatePostgres as startCluster, stopPrivatePostgres as stopCluster } from '#infra/postgres';
import { freePort } from './ports.js';

export interface PrivatePostgres {
  /** The server URL (database postgres), e.g. for createTestDatabase's server. */
  url: string;
  /** Fast shutdown; the data stays for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl from the system's
 * binaries, own folder and port), for tests that restart the database without
 * disturbing the shared server the other test files use.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const options = { dir: mkdtempSync(join(tmpdir(), 'postgres-')), port: await freePort() };
  const { url } = await startCluster(options);
  return {
    url,
    stop: async () => stopCluster(options),
    start: async () => void (await startCluster(options)),
    close: async () => {
      stopCluster(options);
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
