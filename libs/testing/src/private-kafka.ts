import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, infraScript } from './infra-scripts.js';

interface KafkaScript {
  startKafka(options: { dir: string; port: number; controllerPort: number }): Promise<{ brokers: string[] }>;
  stopKafka(options: { dir: string; port: number; controllerPort: number }): Promise<boolean>;
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
  const script = await infraScript<KafkaScript>('kafka');
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
