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
 * startKafka/stopKafka/kafkaStatus take optional overrides { dir, port, controllerPort }:
 * a test's private broker (libs/testing startPrivateKafka) runs from the same
 * jars and credentials with its own data folder and ports, and never touches the shared one.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import kafkajs from 'kafkajs';
import { INFRA_DIR, ROOT, shown } from './paths.mjs';
import { InfraError, isAlive, portOpen, runningPid, spawnDetached, stopPid, tail, waitFor, which } from './process.mjs';

const { Kafka, logLevel } = kafkajs;
const HOST = '127.0.0.1';
const POM = join(ROOT, 'infra/kafka/pom.xml');
const LOG4J = join(ROOT, 'infra/kafka/log4j.properties');
const MAIN_CLASS = 'kafka.Kafka';
const READY_TIMEOUT_MS = 120_000;

const kafkaPort = () => Number(process.env.KAFKA_PORT ?? 9094);
const kafkaControllerPort = () => Number(process.env.KAFKA_CONTROLLER_PORT ?? 9095);
/** The bootstrap servers clients should use, e.g. ['127.0.0.1:9094']. */
export const kafkaBrokers = () => [`${HOST}:${kafkaPort()}`];

/** The super user: the broker itself, infrastructure scripts and ACL provisioning. */
export const KAFKA_ADMIN = 'admin';
/**
 * Every principal a broker of these scripts knows: the services (edge-svc reads
 * the events topics for the browser edge) and two development/test gateways
 * (bound to a tenant by an ACL, see libs/kafka-access).
 */
export const KAFKA_PRINCIPALS = [KAFKA_ADMIN, 'tenant-svc', 'agent-svc', 'call-svc', 'quality-svc', 'edge-svc', 'gateway-1', 'gateway-2'];
const SCRAM = 'SCRAM-SHA-512';
const SCRAM_ITERATIONS = 8192;

/** Where the principals' passwords live (one file per machine user). */
export const kafkaCredentialsFile = () =>
  resolve(process.env.KAFKA_CREDENTIALS_FILE ?? join(homedir(), '.softphone', 'kafka-credentials.json'));

/**
 * The principals' passwords ({ name: password }), creating the file (0600) or
 * the passwords of principals it does not have yet.
 * @returns {Record<string, string>}
 */
export function kafkaCredentials() {
  const file = kafkaCredentialsFile();
  /** @type {Record<string, string>} */
  const known = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const missing = KAFKA_PRINCIPALS.filter((name) => !known[name]);
  if (missing.length > 0) {
    for (const name of missing) known[name] = randomBytes(32).toString('base64url');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return known;
}

/**
 * kafkajs options (brokers, sasl) for one principal of the local broker.
 * @param {string} [principal]
 * @param {string[]} [brokers]
 */
export function kafkaClientOptions(principal = KAFKA_ADMIN, brokers = kafkaBrokers()) {
  const password = kafkaCredentials()[principal];
  if (!password) throw fail(`no credentials for principal ${principal} in ${kafkaCredentialsFile()}`);
  return { brokers, sasl: { mechanism: /** @type {const} */ ('scram-sha-512'), username: principal, password } };
}

/** The jars are shared by every broker these scripts start. */
const LIBS = join(INFRA_DIR, 'kafka', 'libs');
/** @param {string} value a password inside a JAAS line (between double quotes) */
const jaasValue = (value) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
/** Written after a successful Maven fetch: the pom's hash, so a version bump re-fetches. */
const LIBS_STAMP = join(LIBS, '.fetched-from-pom');

/**
 * Where a broker of ours lives: the shared one by default, a test's private one with overrides.
 * @typedef {{ dir?: string, port?: number, controllerPort?: number, tls?: boolean }} BrokerOverrides
 * @typedef {ReturnType<typeof brokerOf>} Broker
 * @typedef {Record<string, string>} Credentials principal name -> password
 */

/**
 * One broker's ports and files: the shared one by default, a private one with overrides.
 * @param {BrokerOverrides} [overrides]
 */
function brokerOf({
  dir = join(INFRA_DIR, 'kafka-sasl'),
  port = kafkaPort(),
  controllerPort = kafkaControllerPort(),
  tls = process.env.KAFKA_TLS === 'true',
} = {}) {
  return {
    port,
    controllerPort,
    brokers: [`${HOST}:${port}`],
    dir,
    /** SASL_SSL on the BROKER listener, with a self-signed certificate for 127.0.0.1 (tls/ca.pem for the clients). */
    tls,
    tlsDir: join(dir, 'tls'),
    data: join(dir, 'data'),
    config: join(dir, 'server.properties'),
    log: join(dir, 'kafka.log'),
    pidFile: join(dir, 'kafka.pid'),
    scramUsers: join(dir, 'scram-users.json'),
    adminClientConfig: join(dir, 'admin-client.properties'),
  };
}

/** @param {string} message */
const fail = (message) => new InfraError('kafka', message);
/** @param {Broker} broker */
const ourPid = (broker) => runningPid(broker.pidFile, MAIN_CLASS);

function javaMajorVersion() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function checkJava() {
  if (!which('java'))
    throw fail(
      'java not found on the PATH: install Java 17+ (apt-get install openjdk-17-jre-headless), or run Kafka elsewhere and set KAFKA_PORT.',
    );
  const major = javaMajorVersion();
  if (major !== null && major < 17)
    throw fail(`Java ${major} found, Kafka 3.9 here needs Java 17+: apt-get install openjdk-17-jre-headless.`);
}

/** Fetches the broker's jars with Maven unless the ones for the current pom are there. Returns true when it fetched. */
function ensureJars() {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  if (existsSync(LIBS_STAMP) && readFileSync(LIBS_STAMP, 'utf8').trim() === pomHash) return false;
  if (!which('mvn'))
    throw fail(`the broker jars are not in ${shown(LIBS)} and mvn is not on the PATH: install Maven (apt-get install maven) and Java 17+.`);
  process.stdout.write(`kafka     fetching the broker jars with Maven into ${shown(LIBS)} (first start only)...\n`);
  rmSync(LIBS, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${LIBS}`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0 || !readdirSync(LIBS).some((f) => f.startsWith('kafka_2.13-'))) {
    throw fail(
      `Maven could not fetch the broker jars (is Maven Central reachable? proxy settings in ~/.m2/settings.xml):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  writeFileSync(LIBS_STAMP, `${pomHash}\n`);
  return true;
}

/**
 * The broker's TLS material, made once with the JDK's keytool: a key and a
 * self-signed certificate for 127.0.0.1/localhost (broker.p12), the same
 * certificate as the trust store the broker checks itself against between
 * brokers (trust.p12) and as PEM for the clients (ca.pem).
 * @param {Broker} broker
 */
function ensureTlsMaterial(broker) {
  const files = tlsFiles(broker);
  if (existsSync(files.ca)) return files;
  mkdirSync(broker.tlsDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(files.password, `${password}\n`, { mode: 0o600 });
  /** @param {string[]} args */
  const keytool = (args) => {
    const result = spawnSync('keytool', args, { encoding: 'utf8' });
    if (result.status !== 0) throw fail(`keytool ${args[0]} failed (is a JDK on the PATH?):\n${result.stderr}${result.stdout}`);
  };
  const store = ['-storetype', 'PKCS12', '-storepass', password];
  keytool([
    '-genkeypair',
    '-alias',
    'broker',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '3650',
    '-dname',
    'CN=127.0.0.1',
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    '-keystore',
    files.keystore,
    '-keypass',
    password,
    ...store,
  ]);
  keytool(['-exportcert', '-rfc', '-alias', 'broker', '-keystore', files.keystore, '-file', files.ca, ...store]);
  keytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', files.ca, '-keystore', files.truststore, ...store]);
  return files;
}

/** @param {Broker} broker */
const tlsFiles = (broker) => ({
  keystore: join(broker.tlsDir, 'broker.p12'),
  truststore: join(broker.tlsDir, 'trust.p12'),
  ca: join(broker.tlsDir, 'ca.pem'),
  password: join(broker.tlsDir, 'password'),
});

/**
 * The file of the CA a client of this broker trusts (PEM), or null when the broker speaks SASL_PLAINTEXT.
 * @param {BrokerOverrides} [overrides]
 */
export function kafkaTlsCaFile(overrides) {
  const broker = brokerOf(overrides);
  const { ca } = tlsFiles(broker);
  return broker.tls && existsSync(ca) ? ca : null;
}

/**
 * The CA a client of this broker trusts (PEM), or null when the broker speaks SASL_PLAINTEXT.
 * @param {BrokerOverrides} [overrides]
 */
export function kafkaTlsCa(overrides) {
  const file = kafkaTlsCaFile(overrides);
  return file ? readFileSync(file, 'utf8') : null;
}

/**
 * server.properties lines of the TLS listener (none without TLS).
 * @param {Broker} broker
 * @returns {Record<string, string>}
 */
function tlsProperties(broker) {
  if (!broker.tls) return {};
  const files = ensureTlsMaterial(broker);
  const password = readFileSync(files.password, 'utf8').trim();
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': files.keystore,
    'ssl.keystore.password': password,
    'ssl.key.password': password,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': files.truststore,
    'ssl.truststore.password': password,
  };
}

/**
 * Listeners and their security, for every broker these scripts start (the
 * single node and each member of a cluster): the one place that says how
 * clients, brokers and controllers connect and who may do what. Clients and
 * brokers authenticate with SASL/SCRAM-SHA-512 on BROKER (over TLS when the
 * broker has it), controllers with SASL/PLAIN as `admin` on CONTROLLER;
 * StandardAuthorizer, no ACL no access.
 * @param {Broker} broker
 * @param {Credentials} credentials
 */
export function listenerProperties(broker, credentials) {
  const { port, controllerPort } = broker;
  const admin = jaasValue(credentials[KAFKA_ADMIN]);
  return {
    listeners: `BROKER://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `BROKER://${HOST}:${port}`,
    'inter.broker.listener.name': 'BROKER',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': `BROKER:${broker.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'},CONTROLLER:SASL_PLAINTEXT`,
    ...tlsProperties(broker),
    'sasl.mechanism.inter.broker.protocol': SCRAM,
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.broker.sasl.enabled.mechanisms': SCRAM,
    'listener.name.broker.scram-sha-512.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN}" password="${admin}";`,
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${KAFKA_ADMIN}" password="${admin}" user_${KAFKA_ADMIN}="${admin}";`,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${KAFKA_ADMIN}`,
    'allow.everyone.if.no.acl.found': false,
  };
}

/**
 * server.properties of one node. A single node: replication factor 1. A
 * cluster member (`cluster` = every member's { nodeId, controllerPort }): every
 * node is broker and controller, topics default to replication factor 3 with
 * min.insync.replicas=2, so producers with acks=all survive one broker down.
 * @param {Broker} broker
 * @param {Credentials} credentials
 * @param {{ nodeId?: number, cluster?: Array<{ nodeId: number, controllerPort: number }> | null }} [membership]
 */
function writeConfig(broker, credentials, { nodeId = 1, cluster = null } = {}) {
  mkdirSync(broker.data, { recursive: true });
  const voters = (cluster ?? [{ nodeId, controllerPort: broker.controllerPort }]).map((n) => `${n.nodeId}@${HOST}:${n.controllerPort}`);
  const replicas = cluster ? cluster.length : 1;
  const minInSync = cluster ? 2 : 1;
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voters.join(','),
    ...listenerProperties(broker, credentials),
    'log.dirs': broker.data,
    'auto.create.topics.enable': false,
    'num.partitions': 6,
    'default.replication.factor': replicas,
    'min.insync.replicas': minInSync,
    'offsets.topic.replication.factor': replicas,
    'offsets.topic.num.partitions': cluster ? 3 : 1,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minInSync,
    'group.initial.rebalance.delay.ms': 0,
    'log.cleaner.dedupe.buffer.size': 1048577,
    // A member that died comes back into the in-sync set as soon as it caught up.
    'replica.lag.time.max.ms': 10_000,
  };
  const lines = Object.entries(properties).map(([key, value]) => `${key}=${value}`);
  writeFileSync(
    broker.config,
    `# Generated by scripts/infra/kafka.mjs on every start: edit the script, not this file.\n${lines.join('\n')}\n`,
    { mode: 0o600 },
  );
  chmodSync(broker.config, 0o600);
}

/**
 * The ports in the generated server.properties (what a running broker of ours uses).
 * @param {Broker} broker
 */
function runningPorts(broker) {
  if (!existsSync(broker.config)) return null;
  const listeners = /^listeners=(.*)$/m.exec(readFileSync(broker.config, 'utf8'))?.[1] ?? '';
  const port = Number(/BROKER:\/\/[^,]*:(\d+)/.exec(listeners)?.[1]);
  const controllerPort = Number(/CONTROLLER:\/\/[^,]*:(\d+)/.exec(listeners)?.[1]);
  return port && controllerPort ? { port, controllerPort } : null;
}

/**
 * @param {string} mainClass
 * @param {string[]} args
 * @param {string[]} [jvm]
 */
const javaArgs = (mainClass, args, jvm = []) => [...jvm, '-cp', join(LIBS, '*'), `-Dlog4j.configuration=file:${LOG4J}`, mainClass, ...args];

/** @param {string} password */
const passwordHash = (password) => createHash('sha256').update(password).digest('hex');

/** A new cluster id: 16 random bytes, base64url, not starting with '-' (the format Kafka's own random-uuid produces). */
function newClusterId() {
  /** @type {string} */
  let clusterId;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  return clusterId;
}

/**
 * Formats the storage once (only when meta.properties is absent), with every principal's SCRAM credentials. Returns true when it formatted.
 * @param {Broker} broker
 * @param {Credentials} credentials
 * @param {string} [clusterId] the same for every member of a cluster
 */
function formatStorageOnce(broker, credentials, clusterId = newClusterId()) {
  if (existsSync(join(broker.data, 'meta.properties'))) return false;
  const scram = KAFKA_PRINCIPALS.flatMap((name) => [
    '--add-scram',
    `${SCRAM}=[name=${name},iterations=${SCRAM_ITERATIONS},password=${credentials[name]}]`,
  ]);
  const result = spawnSync('java', javaArgs('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', broker.config, ...scram]), {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw fail(`formatting ${shown(broker.data)} failed:\n${result.stderr}${result.stdout}`);
  recordScramUsers(broker, Object.fromEntries(KAFKA_PRINCIPALS.map((name) => [name, passwordHash(credentials[name])])));
  return true;
}

/**
 * The principals a broker knows, with a hash of each password.
 * @param {Broker} broker
 * @param {Record<string, string>} users
 */
const recordScramUsers = (broker, users) => writeFileSync(broker.scramUsers, `${JSON.stringify(users, null, 2)}\n`);
/**
 * @param {Broker} broker
 * @returns {Record<string, string>}
 */
const readScramUsers = (broker) => (existsSync(broker.scramUsers) ? JSON.parse(readFileSync(broker.scramUsers, 'utf8')) : {});

/**
 * The admin password the broker's storage was formatted with must be the file's: the broker authenticates to itself with it.
 * @param {Broker} broker
 * @param {Credentials} credentials
 */
function checkAdminCredentials(broker, credentials) {
  const known = readScramUsers(broker)[KAFKA_ADMIN];
  if (known && known !== passwordHash(credentials[KAFKA_ADMIN])) {
    throw fail(
      `${shown(broker.data)} was formatted with another admin password than ${kafkaCredentialsFile()}'s: restore that file, or delete ${shown(broker.dir)} for an empty broker.`,
    );
  }
}

/**
 * Creates or updates a principal's SCRAM credentials on a running broker with
 * Kafka's own ConfigCommand (kafkajs has no AlterUserScramCredentials): one JVM.
 * @param {string} name
 * @param {string} password
 * @param {BrokerOverrides} [overrides]
 */
export function upsertScramUser(name, password, overrides) {
  const broker = brokerOf(overrides);
  const admin = kafkaCredentials()[KAFKA_ADMIN];
  writeFileSync(
    broker.adminClientConfig,
    [
      `security.protocol=${broker.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
      `sasl.mechanism=${SCRAM}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN}" password="${jaasValue(admin)}";`,
      ...Object.entries(tlsProperties(broker))
        .filter(([key]) => key.startsWith('ssl.truststore'))
        .map(([key, value]) => `${key}=${value}`),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const result = spawnSync(
    'java',
    javaArgs('kafka.admin.ConfigCommand', [
      '--bootstrap-server',
      broker.brokers[0],
      '--command-config',
      broker.adminClientConfig,
      '--alter',
      '--add-config',
      `${SCRAM}=[iterations=${SCRAM_ITERATIONS},password=${password}]`,
      '--entity-type',
      'users',
      '--entity-name',
      name,
    ]),
    { encoding: 'utf8' },
  );
  rmSync(broker.adminClientConfig, { force: true });
  if (result.status !== 0) throw fail(`could not set the SCRAM credentials of ${name}:\n${result.stderr}${result.stdout}`);
  recordScramUsers(broker, { ...readScramUsers(broker), [name]: passwordHash(password) });
}

/**
 * Principals added to the list (or whose password changed) since the storage was formatted get their credentials now.
 * @param {Broker} broker
 * @param {Credentials} credentials
 */
function ensureScramUsers(broker, credentials) {
  const known = readScramUsers(broker);
  const stale = KAFKA_PRINCIPALS.filter((name) => known[name] !== passwordHash(credentials[name]));
  for (const name of stale) upsertScramUser(name, credentials[name], broker);
  return stale;
}

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
 * Starts one broker's JVM (detached, its pid in its pid file).
 * @param {Broker} broker
 * @param {string} [defaultHeap] unless KAFKA_HEAP_OPTS says otherwise
 */
function spawnBroker(broker, defaultHeap = '-Xms512m -Xmx512m') {
  const heap = (process.env.KAFKA_HEAP_OPTS ?? defaultHeap).split(/\s+/).filter(Boolean);
  return spawnDetached(
    'java',
    javaArgs(MAIN_CLASS, [broker.config], [...heap, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true']),
    { logFile: broker.log, pidFile: broker.pidFile, cwd: broker.dir },
  );
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
