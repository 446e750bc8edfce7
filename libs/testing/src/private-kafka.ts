import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka, stopKafka } from '#infra/kafka';
import { freePort } from './ports.js';

export interface PrivateKafka {
  brokers: string[];
  /** Stops the broker (SIGTERM); its data stays for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/**
 * A broker of the test's own (same jars and script as npm run infra:up, own
 * ports and data), for tests that stop and restart Kafka without disturbing
 * the shared broker the other test files use.
 */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  const options = { dir: mkdtempSync(join(tmpdir(), 'kafka-')), port: await freePort(), controllerPort: await freePort() };
  const { brokers } = await startKafka(options);
  return {
    brokers,
    stop: async () => void (await stopKafka(options)),
    start: async () => void (await startKafka(options)),
    close: async () => {
      await stopKafka(options);
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
