// @ts-check
import { join } from 'node:path';
import { isAlive, portOpen, stopPid, tail, waitFor } from './process.mjs';
import { HOST, MAIN_CLASS, READY_TIMEOUT_MS, brokerOf, checkJava, ensureJars, fail, ourPid, spawnBroker } from './kafka-node.mjs';
import { kafkaCredentials } from './kafka-credentials.mjs';
import { formatStorageOnce, newClusterId, writeConfig } from './kafka-config.mjs';
import { kafkaAnswers } from './kafka.mjs';

/** @typedef {import('./kafka-node.mjs').Broker} Broker */

/**
 * A three-node KRaft cluster for tests (every node broker and controller), in
 * `dir`/node-<id>/ with its own ports: `ports` and `controllerPorts` (three
 * each). Same jars, credentials and listener settings (listenerProperties:
 * SASL/SCRAM and ACLs) as the single broker. Resolves once all three answer
 * and a topic of replication factor 3 can be created.
 * @param {{ dir: string, ports: number[], controllerPorts: number[] }} options
 */
export async function startKafkaCluster({ dir, ports, controllerPorts }) {
  if (ports.length !== 3 || controllerPorts.length !== 3) throw fail('a cluster needs three ports and three controller ports');
  for (const port of [...ports, ...controllerPorts])
    if (await portOpen(HOST, port)) throw fail(`port ${port} for the Kafka cluster is taken: pick other ports.`);
  checkJava();
  ensureJars();
  const credentials = kafkaCredentials();
  const members = ports.map((port, i) => ({
    nodeId: i + 1,
    // SASL_PLAINTEXT: one self-signed certificate per node would not be one CA for the clients.
    broker: brokerOf({ dir: join(dir, `node-${i + 1}`), port, controllerPort: controllerPorts[i], tls: false }),
  }));
  const cluster = members.map((m) => ({ nodeId: m.nodeId, controllerPort: m.broker.controllerPort }));
  const clusterId = newClusterId();
  for (const { nodeId, broker } of members) {
    writeConfig(broker, credentials, { nodeId, cluster });
    formatStorageOnce(broker, credentials, clusterId);
  }
  const brokers = members.map((m) => m.broker.brokers[0]);
  /** @param {{ broker: Broker }} member */
  const start = (member) => spawnBroker(member.broker, '-Xms256m -Xmx384m');
  const ready = async () => {
    const answers = () => kafkaAnswers(brokers, 10_000, null, { replicationFactor: 3, brokerCount: 3 });
    if (!(await waitFor(answers, READY_TIMEOUT_MS, { intervalMs: 1_000 })))
      throw fail(
        `the cluster did not become ready within ${READY_TIMEOUT_MS / 1000} s; last lines of node 1:\n${tail(members[0].broker.log)}`,
      );
  };
  for (const member of members) start(member);
  await ready();
  /** @param {number} nodeId */
  const member = (nodeId) => {
    const found = members.find((m) => m.nodeId === nodeId);
    if (!found) throw fail(`no node ${nodeId} in the cluster`);
    return found;
  };
  return {
    brokers,
    nodes: members.map((m) => ({ nodeId: m.nodeId, port: m.broker.port })),
    /**
     * SIGKILL (a crash) or SIGTERM one node; resolves once it is gone.
     * @param {number} nodeId
     * @param {'SIGKILL' | 'SIGTERM'} [signal]
     */
    async stopNode(nodeId, signal = 'SIGKILL') {
      const { broker } = member(nodeId);
      const pid = ourPid(broker);
      if (!pid) return;
      process.kill(pid, signal);
      await waitFor(async () => !isAlive(pid), 60_000, { intervalMs: 100 });
    },
    /**
     * Starts a stopped node again on its data; resolves once the cluster answers with all three.
     * @param {number} nodeId
     */
    async startNode(nodeId) {
      start(member(nodeId));
      await ready();
    },
    async stop() {
      await Promise.all(members.map((m) => stopPid(m.broker.pidFile, { graceMs: 10_000, match: MAIN_CLASS })));
    },
  };
}
