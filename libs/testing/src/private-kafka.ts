import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface KafkaScript {
  startKafka(options: { dir: string; port: number; controllerPort: number }): Promise<{ brokers: string[] }>;
  stopKafka(options: { dir: string; port: number; controllerPort: number }): Promise<boolean>;
}

const SCRIPT = join(new URL('.', import.meta.url).pathname, '../../../scripts/infra/kafka.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

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
  const script = (await import(pathToFileURL(SCRIPT).href)) as KafkaScript;
  const options = { dir: mkdtempSync(join(tmpdir(), 'kafka-')), port: await freePort(), controllerPort: await freePort() };
  const { brokers } = await script.startKafka(options);
  return {
    brokers,
    stop: async () => void (await script.stopKafka(options)),
    start: async () => void (await script.startKafka(options)),
    close: async () => {
      await script.stopKafka(options);
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
