// @ts-check
/**
 * Who may talk to our brokers: the principals, their passwords (generated once
 * per machine into KAFKA_CREDENTIALS_FILE, mode 0600) and their SCRAM
 * credentials on a broker (written at format time, or later with Kafka's
 * ConfigCommand).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { shown } from './paths.mjs';
import { brokerOf, fail, javaArgs, kafkaBrokers } from './kafka-node.mjs';
import { tlsProperties } from './kafka-tls.mjs';

/**
 * @typedef {import('./kafka-node.mjs').Broker} Broker
 * @typedef {import('./kafka-node.mjs').BrokerOverrides} BrokerOverrides
 * @typedef {Record<string, string>} Credentials principal name -> password
 */

/** The super user: the broker itself, infrastructure scripts and ACL provisioning. */
export const KAFKA_ADMIN = 'admin';
/**
 * Every principal a broker of these scripts knows: the services (edge-svc reads
 * the events topics for the browser edge) and two development/test gateways
 * (bound to a tenant by an ACL, see libs/kafka-access).
 */
export const KAFKA_PRINCIPALS = [KAFKA_ADMIN, 'tenant-svc', 'agent-svc', 'call-svc', 'quality-svc', 'edge-svc', 'gateway-1', 'gateway-2'];
export const SCRAM = 'SCRAM-SHA-512';
export const SCRAM_ITERATIONS = 8192;

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

/** @param {string} value a password inside a JAAS line (between double quotes) */
export const jaasValue = (value) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/** @param {string} password */
export const passwordHash = (password) => createHash('sha256').update(password).digest('hex');

/**
 * The principals a broker knows, with a hash of each password.
 * @param {Broker} broker
 * @param {Record<string, string>} users
 */
export const recordScramUsers = (broker, users) => writeFileSync(broker.scramUsers, `${JSON.stringify(users, null, 2)}\n`);
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
export function checkAdminCredentials(broker, credentials) {
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
export function ensureScramUsers(broker, credentials) {
  const known = readScramUsers(broker);
  const stale = KAFKA_PRINCIPALS.filter((name) => known[name] !== passwordHash(credentials[name]));
  for (const name of stale) upsertScramUser(name, credentials[name], broker);
  return stale;
}
