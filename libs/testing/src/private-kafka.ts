import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaTlsCa, startKafka, stopKafka } from '#infra/kafka';
import { freePort } from './ports.js';

export interface PrivateKafka {
  brokers: string[];
  /** With TLS: the CA its clients trust (PEM); null for a SASL_PLAINTEXT broker. */
  ca: string | null;
  /** Stops the broker (SIGTERM); its data stays for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/**
 * A broker of the test's own (same jars, script and principals as npm run
 * infra:up, own ports and data), for tests that stop and restart Kafka without
 * disturbing the shared broker the other test files use; `tls`: SASL_SSL.
 */
export async function startPrivateKafka(options: { tls?: boolean } = {}): Promise<PrivateKafka> {
  const broker = {
    dir: mkdtempSync(join(tmpdir(), 'kafka-')),
    port: await freePort(),
    controllerPort: await freePort(),
    tls: options.tls ?? false,
  };
  const { brokers } = await startKafka(broker);
  return {
    brokers,
    ca: kafkaTlsCa(broker),
    stop: async () => void (await stopKafka(broker)),
    start: async () => void (await startKafka(broker)),
    close: async () => {
      await stopKafka(broker);
      rmSync(broker.dir, { recursive: true, force: true });
    },
  };
}
