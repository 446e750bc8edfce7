// @ts-check
/**
 * Where a broker of ours lives and how its JVM runs: ports, folders, the jars
 * (fetched with Maven from infra/kafka/pom.xml), the Java check. Shared by the
 * single node (kafka.mjs) and the test cluster (kafka-cluster.mjs).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR, ROOT, shown } from './paths.mjs';
import { InfraError, runningPid, spawnDetached, which } from './process.mjs';

export const HOST = '127.0.0.1';
const POM = join(ROOT, 'infra/kafka/pom.xml');
const LOG4J = join(ROOT, 'infra/kafka/log4j.properties');
export const MAIN_CLASS = 'kafka.Kafka';
export const READY_TIMEOUT_MS = 120_000;

const kafkaPort = () => Number(process.env.KAFKA_PORT ?? 9094);
const kafkaControllerPort = () => Number(process.env.KAFKA_CONTROLLER_PORT ?? 9095);
/** The bootstrap servers clients should use, e.g. ['127.0.0.1:9094']. */
export const kafkaBrokers = () => [`${HOST}:${kafkaPort()}`];

/** The jars are shared by every broker these scripts start. */
const LIBS = join(INFRA_DIR, 'kafka', 'libs');
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
export function brokerOf({
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
export const fail = (message) => new InfraError('kafka', message);
/** @param {Broker} broker */
export const ourPid = (broker) => runningPid(broker.pidFile, MAIN_CLASS);

function javaMajorVersion() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

export function checkJava() {
  if (!which('java'))
    throw fail(
      'java not found on the PATH: install Java 17+ (apt-get install openjdk-17-jre-headless), or run Kafka elsewhere and set KAFKA_PORT.',
    );
  const major = javaMajorVersion();
  if (major !== null && major < 17)
    throw fail(`Java ${major} found, Kafka 3.9 here needs Java 17+: apt-get install openjdk-17-jre-headless.`);
}

/** Fetches the broker's jars with Maven unless the ones for the current pom are there. Returns true when it fetched. */
export function ensureJars() {
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
 * @param {string} mainClass
 * @param {string[]} args
 * @param {string[]} [jvm]
 */
export const javaArgs = (mainClass, args, jvm = []) => [
  ...jvm,
  '-cp',
  join(LIBS, '*'),
  `-Dlog4j.configuration=file:${LOG4J}`,
  mainClass,
  ...args,
];

/**
 * Starts one broker's JVM (detached, its pid in its pid file).
 * @param {Broker} broker
 * @param {string} [defaultHeap] unless KAFKA_HEAP_OPTS says otherwise
 */
export function spawnBroker(broker, defaultHeap = '-Xms512m -Xmx512m') {
  const heap = (process.env.KAFKA_HEAP_OPTS ?? defaultHeap).split(/\s+/).filter(Boolean);
  return spawnDetached(
    'java',
    javaArgs(MAIN_CLASS, [broker.config], [...heap, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true']),
    { logFile: broker.log, pidFile: broker.pidFile, cwd: broker.dir },
  );
}
