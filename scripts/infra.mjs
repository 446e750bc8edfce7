#!/usr/bin/env node
// @ts-check
/**
 * Local infrastructure for development and tests, without Docker:
 *
 *   npm run infra:up       PostgreSQL, Redis, Kafka (KRaft), SMTP sink (maildev); idempotent
 *   npm run infra:down     stops what these scripts started (never a server found running)
 *   npm run infra:status   each component: running (ours / external) or stopped, with address
 *
 * Each component reuses a server that already answers on its address, otherwise
 * starts one (see scripts/infra/*.mjs) and waits until it really answers.
 * State (data, logs, pid files) lives in .infra/ (env INFRA_DIR overrides).
 *
 * Importable: `import { up, down, status } from './infra.mjs'`.
 */
import { fileURLToPath } from 'node:url';
import { kafkaStatus, startKafka, stopKafka } from './infra/kafka.mjs';
import { postgresStatus, startPostgres, stopPostgres } from './infra/postgres.mjs';
import { InfraError } from './infra/process.mjs';
import { redisStatus, startRedis, stopRedis } from './infra/redis.mjs';
import { smtpStatus, startSmtp, stopSmtp } from './infra/smtp.mjs';

/** @typedef {'postgres' | 'redis' | 'kafka' | 'smtp'} Component */

/** In start order; `down` goes in reverse. @type {Component[]} */
export const COMPONENTS = ['postgres', 'redis', 'kafka', 'smtp'];

/**
 * @type {Record<Component, {
 *   start(): Promise<import('./infra/process.mjs').StartResult>,
 *   stop(): Promise<number | string | null>,
 *   status(): Promise<import('./infra/process.mjs').ComponentStatus>,
 * }>}
 */
const modules = {
  postgres: { start: startPostgres, stop: stopPostgres, status: postgresStatus },
  redis: { start: startRedis, stop: stopRedis, status: redisStatus },
  kafka: { start: startKafka, stop: stopKafka, status: kafkaStatus },
  smtp: { start: startSmtp, stop: stopSmtp, status: smtpStatus },
};

/** @param {string} line */
const defaultLog = (line) => process.stdout.write(`${line}\n`);
/**
 * @param {string} name
 * @param {string} what
 * @param {string} address
 * @param {string} [detail]
 */
const row = (name, what, address, detail) => `${name.padEnd(9)} ${what.padEnd(20)} ${address}${detail ? `  (${detail})` : ''}`;

/**
 * @param {string[]} names
 * @returns {asserts names is Component[]}
 */
function checkNames(names) {
  const unknown = names.filter((n) => !(n in modules));
  if (unknown.length) throw new InfraError('infra', `unknown component(s) ${unknown.join(', ')}; known: ${COMPONENTS.join(', ')}`);
}

/**
 * Makes sure every component answers, starting the missing ones.
 * Resolves to the names of the components it started itself (give them to down() to undo exactly that).
 * On failure, throws an InfraError whose `.started` lists what was started before the failure.
 * @param {{ only?: string[], log?: (line: string) => void }} [options]
 * @returns {Promise<Component[]>}
 */
export async function up({ only = COMPONENTS, log = defaultLog } = {}) {
  checkNames(only);
  /** @type {Component[]} */
  const started = [];
  for (const name of COMPONENTS.filter((n) => only.includes(n))) {
    try {
      const result = await modules[name].start();
      const what = result.started ? 'started' : `running (${result.owner})`;
      log(row(name, what, result.address, result.detail));
      if (result.started) started.push(name);
    } catch (error) {
      throw Object.assign(/** @type {Error} */ (error), { started });
    }
  }
  return started;
}

/**
 * Stops the given components (default all) if these scripts started them; a
 * server found running (external) is left alone. Resolves to the names stopped.
 * @param {string[]} [components]
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Component[]>}
 */
export async function down(components = COMPONENTS, { log = defaultLog } = {}) {
  checkNames(components);
  /** @type {Component[]} */
  const stopped = [];
  for (const name of [...COMPONENTS].reverse().filter((n) => components.includes(n))) {
    const what = await modules[name].stop();
    if (what) stopped.push(name);
    const state = what ? `stopped (${typeof what === 'number' ? `pid ${what}` : what})` : 'nothing of ours running';
    log(`${name.padEnd(9)} ${state}`);
  }
  return stopped;
}

/**
 * Each component's state: { name, address, running, owner: 'ours'|'external'|null, detail }. Prints one line each.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function status({ log = defaultLog } = {}) {
  const all = await Promise.all(COMPONENTS.map((name) => modules[name].status()));
  for (const s of all) log(row(s.name, s.running ? `running (${s.owner})` : 'stopped', s.address, s.detail));
  return all;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command = 'status', ...names] = process.argv.slice(2);
  /** @type {Record<string, () => Promise<unknown>>} */
  const actions = {
    up: () => up(names.length ? { only: names } : {}),
    down: () => down(names.length ? names : COMPONENTS),
    status: () => status(),
  };
  if (!Object.hasOwn(actions, command)) {
    process.stderr.write(`usage: node scripts/infra.mjs up|down|status [${COMPONENTS.join('|')} ...]\n`);
    process.exit(2);
  }
  try {
    await actions[command]();
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      `\ninfra ${command} failed: ${error instanceof InfraError ? error.message : /** @type {Error} */ (error).stack}\n`,
    );
    process.exit(1);
  }
}
