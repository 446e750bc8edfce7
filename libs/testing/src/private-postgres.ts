import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, infraScript } from './infra-scripts.js';

interface PostgresScript {
  startPrivatePostgres(options: { dir: string; port: number }): Promise<{ url: string }>;
  stopPrivatePostgres(options: { dir: string }): void;
}

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
  const script = await infraScript<PostgresScript>('postgres');
  const options = { dir: mkdtempSync(join(tmpdir(), 'postgres-')), port: await freePort() };
  const { url } = await script.startPrivatePostgres(options);
  return {
    url,
    stop: async () => script.stopPrivatePostgres(options),
    start: async () => void (await script.startPrivatePostgres(options)),
    close: async () => {
      script.stopPrivatePostgres(options);
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
