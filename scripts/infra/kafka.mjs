// @ts-check
/**
 * Apache Kafka, single node in KRaft mode (broker + controller in one JVM),
 * from the broker's jars on Maven Central (version pinned in infra/kafka/pom.xml),
 * with authentication and authorization on:
 *
 *   - clients authenticate with SASL/SCRAM-SHA-512 on the BROKER listener
 *     (127.0.0.1:9094), the broker too (inter-broker traffic as `admin`);
 *   - the CONTROLLER listener (127.0.0.1:9095) takes SASL/PLAIN from `admin` only;
 *   - StandardAuthorizer with allow.everyone.if.no.acl.found=false: a principal
 *     does only what an ACL grants it (libs/kafka-access lays the
 *     ACLs out; `admin` is the only super user).
 *
 * The principals' passwords are random, generated once per machine into
 * KAFKA_CREDENTIALS_FILE (default ~/.softphone/kafka-credentials.json, mode 0600),
 * so that every checkout and test run on the machine reaches the same broker;
 * their SCRAM credentials are written when the storage is formatted (KRaft's
 * `format --add-scram`), and a principal added later is created with Kafka's own
 * ConfigCommand.
 *
 *   .infra/kafka/libs/                  jars, fetched with Maven when missing
 *   .infra/kafka-sasl/server.properties generated on every start (mode 0600: it holds admin's password)
 *   .infra/kafka-sasl/data/             log.dirs, formatted once (meta.properties)
 *   .infra/kafka-sasl/scram-users.json  the principals this broker knows, with a hash of each password
 *   .infra/kafka-sasl/kafka.log         broker output (quiet: infra/kafka/log4j.properties)
 *   .infra/kafka-sasl/kafka.pid
 *
 * Env: KAFKA_PORT (9094), KAFKA_CONTROLLER_PORT (9095), KAFKA_HEAP_OPTS (-Xms512m -Xmx512m),
 * KAFKA_CREDENTIALS_FILE, KAFKA_TLS (true: SASL_SSL on the BROKER listener, self-signed
 * certificate made with keytool, its PEM in .infra/kafka-sasl/tls/ca.pem), INFRA_DIR.
 *
 * The broker's parts live beside this file: kafka-node (ports, folders, jars, JVM), kafka-tls, kafka-credentials (principals, SCRAM),
 * kafka-config (server.properties, storage format) and kafka-cluster (three nodes for tests).
 *
 * startKafka/stopKafka/kafkaStatus take optional overrides { dir, port, controllerPort }:
 * a test's private broker (libs/testing startPrivateKafka) runs from the same
 * jars and credentials with its own data folder and ports, and never touches the shared one.
 */
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { shown } from './paths.mjs';
import { isAlive, portOpen, stopPid, tail, waitFor } from './process.mjs';
import {
  HOST,
  MAIN_CLASS,
  READY_TIMEOUT_MS,
  brokerOf,
  checkJava,
  ensureJars,
  fail,
  kafkaBrokers,
  ourPid,
  spawnBroker,
} from './kafka-node.mjs';
import { kafkaTlsCa, tlsFiles } from './kafka-tls.mjs';
import {
  KAFKA_ADMIN,
  checkAdminCredentials,
  ensureScramUsers,
  kafkaClientOptions,
  kafkaCredentials,
  kafkaCredentialsFile,
} from './kafka-credentials.mjs';
import { formatStorageOnce, runningPorts, writeConfig } from './kafka-config.mjs';

export { kafkaBrokers } from './kafka-node.mjs';
export { kafkaTlsCa, kafkaTlsCaFile } from './kafka-tls.mjs';
export {
  KAFKA_ADMIN,
  KAFKA_PRINCIPALS,
  kafkaClientOptions,
  kafkaCredentials,
  kafkaCredentialsFile,
  upsertScramUser,
} from './kafka-credentials.mjs';

const { Kafka, logLevel } = kafkajs;

/**
 * @typedef {import('./kafka-node.mjs').Broker} Broker
 * @typedef {import('./kafka-node.mjs').BrokerOverrides} BrokerOverrides
 */

/**
 * A real client check as the admin: describeCluster() (with at least `brokerCount` brokers), then create
 * and delete a probe topic of `replicationFactor` (waitForLeaders).
 * @param {string[]} [brokers]
 * @param {number} [timeoutMs]
 * @param {string | null} [ca] the CA to trust when the broker speaks TLS
 * @param {{ replicationFactor?: number, brokerCount?: number }} [expect]
 * @returns {Promise<boolean>}
 */
export async function kafkaAnswers(
  brokers = kafkaBrokers(),
  timeoutMs = 10_000,
  ca = kafkaTlsCa(),
  { replicationFactor = 1, brokerCount = 1 } = {},
) {
  const admin = new Kafka({
    clientId: 'infra-probe',
    ...kafkaClientOptions(KAFKA_ADMIN, brokers),
    ...(ca ? { ssl: { ca: [ca] } } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const attempt = (async () => {
    await admin.connect();
    const { brokers: members } = await admin.describeCluster();
    if (members.length < brokerCount) return false;
    const topic = `infra-probe-${randomBytes(4).toString('hex')}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor }], waitForLeaders: true, timeout: timeoutMs });
    await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
    return true;
  })();
  /** @type {Promise<boolean>} */
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([attempt.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Makes sure a working broker answers on its port: reuses one that does
 * (ours or external), otherwise fetches, configures, formats and starts ours.
 * @param {BrokerOverrides} [overrides]
 * @returns {Promise<import('./process.mjs').StartResult & { brokers: string[] }>}
 */
export async function startKafka(overrides) {
  const broker = brokerOf(overrides);
  const { brokers, port, controllerPort } = broker;
  const address = brokers[0];
  const pid = ourPid(broker);
  if (!pid && (await portOpen(HOST, port))) {
    if (await kafkaAnswers(brokers))
      return { name: 'kafka', address, brokers, started: false, owner: 'external', detail: 'a working broker already answers, reused' };
    throw fail(
      `port ${port} is taken by something that is not a working Kafka broker accepting ${kafkaCredentialsFile()}'s admin credentials: stop it, set KAFKA_PORT to a free port, or point KAFKA_CREDENTIALS_FILE at the credentials of the checkout that started it.`,
    );
  }
  if (pid) {
    const running = runningPorts(broker);
    if (running && (running.port !== port || running.controllerPort !== controllerPort)) {
      throw fail(
        `our broker (pid ${pid}, ${shown(broker.dir)}) listens on ${running.port}/${running.controllerPort}, not ${port}/${controllerPort}: run infra:down first, or use another INFRA_DIR.`,
      );
    }
    // Ours, already running (maybe still starting): wait for it.
    if (!(await waitForReady(broker, pid))) throw notReady(broker, pid);
    return { name: 'kafka', address, brokers, started: false, owner: 'ours', detail: `pid ${pid}` };
  }
  if (await portOpen(HOST, controllerPort)) {
    throw fail(`controller port ${controllerPort} is taken by another process: stop it, or set KAFKA_CONTROLLER_PORT to a free port.`);
  }
  checkJava();
  const fetched = ensureJars();
  const credentials = kafkaCredentials();
  checkAdminCredentials(broker, credentials);
  writeConfig(broker, credentials);
  const formatted = formatStorageOnce(broker, credentials);
  const started = spawnBroker(broker);
  if (!(await waitForReady(broker, started))) {
    await stopPid(broker.pidFile, { graceMs: 10_000, match: MAIN_CLASS });
    throw notReady(broker, started);
  }
  const added = ensureScramUsers(broker, credentials);
  const notes = [
    fetched && 'jars fetched',
    formatted ? 'storage formatted' : 'existing data',
    added.length > 0 && `principals added: ${added.join(', ')}`,
    broker.tls ? `SASL_SSL (CA ${shown(tlsFiles(broker).ca)}) + SCRAM-SHA-512 + ACLs` : 'SASL/SCRAM-SHA-512 + ACLs',
    `pid ${started}`,
    `data ${shown(broker.data)}`,
    `log ${shown(broker.log)}`,
  ];
  return {
    name: 'kafka',
    address,
    brokers,
    started: true,
    owner: 'ours',
    detail: notes.filter(Boolean).join(', '),
  };
}

/**
 * @param {Broker} broker
 * @param {number} pid
 */
async function waitForReady(broker, pid) {
  return waitFor(() => kafkaAnswers(broker.brokers, 10_000, kafkaTlsCa(broker)), READY_TIMEOUT_MS, {
    intervalMs: 500,
    giveUp: () =>
      isAlive(pid) ? null : `the broker (pid ${pid}) exited while starting; last lines of ${shown(broker.log)}:\n${tail(broker.log)}`,
  }).catch((/** @type {Error} */ error) => {
    throw fail(error.message);
  });
}

/**
 * @param {Broker} broker
 * @param {number} pid
 */
const notReady = (broker, pid) =>
  fail(
    `the broker (pid ${pid}) did not become ready within ${READY_TIMEOUT_MS / 1000} s; last lines of ${shown(broker.log)}:\n${tail(broker.log)}`,
  );

/**
 * Stops our broker (SIGTERM, up to 30 s, then SIGKILL). Returns the pid stopped, or null when none of ours ran.
 * @param {BrokerOverrides} [overrides]
 */
export const stopKafka = (overrides) => stopPid(brokerOf(overrides).pidFile, { graceMs: 30_000, match: MAIN_CLASS });

/**
 * @param {BrokerOverrides} [overrides]
 * @returns {Promise<import('./process.mjs').ComponentStatus>}
 */
export async function kafkaStatus(overrides) {
  const broker = brokerOf(overrides);
  const pid = ourPid(broker);
  const running = await kafkaAnswers(broker.brokers, 5_000, kafkaTlsCa(broker));
  const owner = pid ? 'ours' : running ? 'external' : null;
  return {
    name: 'kafka',
    address: broker.brokers[0],
    running,
    owner,
    detail: pid ? `pid ${pid}${running ? '' : ', not answering (starting or stuck?)'}` : '',
  };
}
