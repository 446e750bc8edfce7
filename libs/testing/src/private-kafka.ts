import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { kafkaTlsCa, startKafka, stopKafka } from '#infra/kafka';
import { startKafkaCluster } from '#infra/kafka-cluster';
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

export interface PrivateKafkaCluster {
  brokers: string[];
  /** node id → its bootstrap address. */
  nodes: Map<number, string>;
  /** kill -9 (default) or SIGTERM one node. */
  stopNode(nodeId: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts a stopped node on its data; resolves once all three answer. */
  startNode(nodeId: number): Promise<void>;
  /** Stops every node and deletes the data. */
  close(): Promise<void>;
}

/** Six ports free a moment ago in 19000–19999 (the range kept for the test cluster). */
async function clusterPorts(): Promise<number[]> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  const ports: number[] = [];
  for (let port = 19_000 + Math.floor(Math.random() * 900); ports.length < 6 && port < 20_000; port++)
    if (await free(port)) ports.push(port);
  if (ports.length < 6) throw new Error('no six free ports in 19000–19999 for the Kafka cluster');
  return ports;
}

/**
 * A three-node KRaft cluster of the test's own (the project's Kafka script,
 * same jars and listener settings as the shared broker): topics of replication
 * factor 3 with min.insync.replicas=2, for tests that kill a broker.
 */
export async function startPrivateKafkaCluster(): Promise<PrivateKafkaCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-cluster-'));
  const ports = await clusterPorts();
  const cluster = await startKafkaCluster({ dir, ports: ports.slice(0, 3), controllerPorts: ports.slice(3) });
  return {
    brokers: cluster.brokers,
    nodes: new Map(cluster.nodes.map((n) => [n.nodeId, `127.0.0.1:${n.port}`])),
    stopNode: (nodeId, signal) => cluster.stopNode(nodeId, signal),
    startNode: (nodeId) => cluster.startNode(nodeId),
    close: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
