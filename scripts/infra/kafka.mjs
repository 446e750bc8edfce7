/**
 * Apache Kafka, single node in KRaft mode (broker + controller in one JVM),
 * from the broker's jars on Maven Central (version pinned in infra/kafka/pom.xml).
 *
 *   .infra/kafka/libs/              jars, fetched with Maven when missing
 *   .infra/kafka/server.properties  generated on every start
 *   .infra/kafka/data/              log.dirs, formatted once (meta.properties)
 *   .infra/kafka/kafka.log          broker output (quiet: infra/kafka/log4j.properties)
 *   .infra/kafka/kafka.pid
 *
 * Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP_OPTS (-Xms512m -Xmx512m), INFRA_DIR.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { INFRA_DIR, ROOT, shown } from './paths.mjs';
import { InfraError, isAlive, portOpen, runningPid, spawnDetached, stopPid, tail, waitFor, which } from './process.mjs';

const { Kafka, logLevel } = kafkajs;
const HOST = '127.0.0.1';
const POM = join(ROOT, 'infra/kafka/pom.xml');
const LOG4J = join(ROOT, 'infra/kafka/log4j.properties');
const MAIN_CLASS = 'kafka.Kafka';
const READY_TIMEOUT_MS = 120_000;

export const kafkaPort = () => Number(process.env.KAFKA_PORT ?? 9092);
export const kafkaControllerPort = () => Number(process.env.KAFKA_CONTROLLER_PORT ?? 9093);
/** The bootstrap servers clients should use, e.g. ['127.0.0.1:9092']. */
export const kafkaBrokers = () => [`${HOST}:${kafkaPort()}`];

const DIR = join(INFRA_DIR, 'kafka');
const LIBS = join(DIR, 'libs');
const DATA = join(DIR, 'data');
const CONFIG = join(DIR, 'server.properties');
const LOG = join(DIR, 'kafka.log');
const PID = join(DIR, 'kafka.pid');
/** Written after a successful Maven fetch: the pom's hash, so a version bump re-fetches. */
const LIBS_STAMP = join(LIBS, '.fetched-from-pom');

const fail = (message) => new InfraError('kafka', message);
const ourPid = () => runningPid(PID, MAIN_CLASS);

function javaMajorVersion() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function checkJava() {
  if (!which('java')) throw fail('java not found on the PATH: install Java 17+ (apt-get install openjdk-17-jre-headless), or run Kafka elsewhere and set KAFKA_PORT.');
  const major = javaMajorVersion();
  if (major !== null && major < 17) throw fail(`Java ${major} found, Kafka 3.9 here needs Java 17+: apt-get install openjdk-17-jre-headless.`);
}

/** Fetches the broker's jars with Maven unless the ones for the current pom are there. Returns true when it fetched. */
function ensureJars() {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  if (existsSync(LIBS_STAMP) && readFileSync(LIBS_STAMP, 'utf8').trim() === pomHash) return false;
  if (!which('mvn')) throw fail(`the broker jars are not in ${shown(LIBS)} and mvn is not on the PATH: install Maven (apt-get install maven) and Java 17+.`);
  process.stdout.write(`kafka     fetching the broker jars with Maven into ${shown(LIBS)} (first start only)...\n`);
  rmSync(LIBS, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${LIBS}`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0 || !readdirSync(LIBS).some((f) => f.startsWith('kafka_2.13-'))) {
    throw fail(`Maven could not fetch the broker jars (is Maven Central reachable? proxy settings in ~/.m2/settings.xml):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  }
  writeFileSync(LIBS_STAMP, `${pomHash}\n`);
  return true;
}

function writeConfig() {
  mkdirSync(DATA, { recursive: true });
  const port = kafkaPort();
  const controllerPort = kafkaControllerPort();
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': DATA,
    'auto.create.topics.enable': false,
    'num.partitions': 6,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'log.cleaner.dedupe.buffer.size': 1048577,
  };
  const lines = Object.entries(properties).map(([key, value]) => `${key}=${value}`);
  writeFileSync(CONFIG, `# Generated by scripts/infra/kafka.mjs on every start: edit the script, not this file.\n${lines.join('\n')}\n`);
}

/** The ports in the generated server.properties (what a running broker of ours uses). */
function runningPorts() {
  if (!existsSync(CONFIG)) return null;
  const listeners = /^listeners=(.*)$/m.exec(readFileSync(CONFIG, 'utf8'))?.[1] ?? '';
  const port = Number(/PLAINTEXT:\/\/[^,]*:(\d+)/.exec(listeners)?.[1]);
  const controllerPort = Number(/CONTROLLER:\/\/[^,]*:(\d+)/.exec(listeners)?.[1]);
  return port && controllerPort ? { port, controllerPort } : null;
}

const javaArgs = (mainClass, args, jvm = []) => [...jvm, '-cp', join(LIBS, '*'), `-Dlog4j.configuration=file:${LOG4J}`, mainClass, ...args];

/** Formats the storage once (only when meta.properties is absent). Returns true when it formatted. */
function formatStorageOnce() {
  if (existsSync(join(DATA, 'meta.properties'))) return false;
  // 16 random bytes, base64url, not starting with '-' (the format Kafka's own random-uuid produces).
  let clusterId;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  const result = spawnSync('java', javaArgs('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', CONFIG]), { encoding: 'utf8' });
  if (result.status !== 0) throw fail(`formatting ${shown(DATA)} failed:\n${result.stderr}${result.stdout}`);
  return true;
}

/** A real client check: describeCluster(), then create and delete a probe topic (waitForLeaders). */
export async function kafkaAnswers(brokers = kafkaBrokers(), timeoutMs = 10_000) {
  const admin = new Kafka({
    clientId: 'infra-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  let timer;
  const attempt = (async () => {
    await admin.connect();
    await admin.describeCluster();
    const topic = `infra-probe-${randomBytes(4).toString('hex')}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true, timeout: timeoutMs });
    await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
    return true;
  })();
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([attempt.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Makes sure a working broker answers on KAFKA_PORT: reuses one that does
 * (ours or external), otherwise fetches, configures, formats and starts ours.
 */
export async function startKafka() {
  const brokers = kafkaBrokers();
  const address = brokers[0];
  const pid = ourPid();
  if (!pid && (await portOpen(HOST, kafkaPort()))) {
    if (await kafkaAnswers(brokers)) return { name: 'kafka', address, started: false, owner: 'external', detail: 'a working broker already answers, reused' };
    throw fail(`port ${kafkaPort()} is taken by something that is not a working Kafka broker: stop it, or set KAFKA_PORT to a free port.`);
  }
  if (pid) {
    const running = runningPorts();
    if (running && (running.port !== kafkaPort() || running.controllerPort !== kafkaControllerPort())) {
      throw fail(`our broker (pid ${pid}, ${shown(DIR)}) listens on ${running.port}/${running.controllerPort}, not KAFKA_PORT=${kafkaPort()}/KAFKA_CONTROLLER_PORT=${kafkaControllerPort()}: run infra:down first, or use another INFRA_DIR.`);
    }
    // Ours, already running (maybe still starting): wait for it.
    if (!(await waitForReady(pid))) throw notReady(pid);
    return { name: 'kafka', address, started: false, owner: 'ours', detail: `pid ${pid}` };
  }
  if (await portOpen(HOST, kafkaControllerPort())) {
    throw fail(`controller port ${kafkaControllerPort()} is taken by another process: stop it, or set KAFKA_CONTROLLER_PORT to a free port.`);
  }
  checkJava();
  const fetched = ensureJars();
  writeConfig();
  const formatted = formatStorageOnce();
  const heap = (process.env.KAFKA_HEAP_OPTS ?? '-Xms512m -Xmx512m').split(/\s+/).filter(Boolean);
  const started = spawnDetached('java', javaArgs(MAIN_CLASS, [CONFIG], [...heap, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true']), {
    logFile: LOG,
    pidFile: PID,
    cwd: DIR,
  });
  if (!(await waitForReady(started))) {
    await stopPid(PID, { graceMs: 10_000, match: MAIN_CLASS });
    throw notReady(started);
  }
  const notes = [fetched && 'jars fetched', formatted ? 'storage formatted' : 'existing data', `pid ${started}`, `data ${shown(DATA)}`, `log ${shown(LOG)}`];
  return { name: 'kafka', address, started: true, owner: 'ours', detail: notes.filter(Boolean).join(', ') };
}

async function waitForReady(pid) {
  return waitFor(() => kafkaAnswers(kafkaBrokers(), 10_000), READY_TIMEOUT_MS, {
    intervalMs: 500,
    giveUp: () => (isAlive(pid) ? null : `the broker (pid ${pid}) exited while starting; last lines of ${shown(LOG)}:\n${tail(LOG)}`),
  }).catch((error) => {
    throw fail(error.message);
  });
}

const notReady = (pid) => fail(`the broker (pid ${pid}) did not become ready within ${READY_TIMEOUT_MS / 1000} s; last lines of ${shown(LOG)}:\n${tail(LOG)}`);

/** Stops our broker (SIGTERM, up to 30 s, then SIGKILL). Returns the pid stopped, or null when none of ours ran. */
export const stopKafka = () => stopPid(PID, { graceMs: 30_000, match: MAIN_CLASS });

export async function kafkaStatus() {
  const pid = ourPid();
  const running = await kafkaAnswers(kafkaBrokers(), 5_000);
  const owner = pid ? 'ours' : running ? 'external' : null;
  return { name: 'kafka', address: kafkaBrokers()[0], running, owner, detail: pid ? `pid ${pid}${running ? '' : ', not answering (starting or stuck?)'}` : '' };
}
