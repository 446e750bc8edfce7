// @ts-check
/**
 * Redis: the server on REDIS_URL (default redis://127.0.0.1:6379) when it
 * answers PING; otherwise redis-server started by us (no persistence, data dir
 * .infra/redis, pid file .infra/redis/redis.pid). Only that one is ever stopped.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { INFRA_DIR, shown } from './paths.mjs';
import { InfraError, isAlive, runningPid, spawnDetached, stopPid, tail, waitFor, which } from './process.mjs';

const DIR = join(INFRA_DIR, 'redis');
const PID = join(DIR, 'redis.pid');
const LOG = join(DIR, 'redis.log');
const MATCH = 'redis-server';

export const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const parsed = () => new URL(redisUrl());
const port = () => Number(parsed().port || 6379);
const address = () => `${parsed().hostname}:${port()}`;
/** @param {string} message */
const fail = (message) => new InfraError('redis', message);

async function answers() {
  const client = new Redis(redisUrl(), {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** @returns {Promise<import('./process.mjs').StartResult>} */
export async function startRedis() {
  const pid = runningPid(PID, MATCH);
  if (await answers())
    return { name: 'redis', address: address(), started: false, owner: pid ? 'ours' : 'external', detail: pid ? `pid ${pid}` : '' };
  const { hostname } = parsed();
  if (!['127.0.0.1', 'localhost'].includes(hostname))
    throw fail(`Redis not reachable at ${address()}, a remote address: start it, or set REDIS_URL to a reachable server.`);
  if (pid) await stopPid(PID, { graceMs: 5_000, match: MATCH }); // ours but not answering: start afresh
  const server = which('redis-server');
  if (!server)
    throw fail(
      `Redis not reachable at ${address()} and redis-server is not installed: apt-get install redis-server, or set REDIS_URL to a reachable server.`,
    );
  const started = spawnDetached(
    server,
    [
      '--daemonize',
      'no',
      '--port',
      String(port()),
      '--bind',
      hostname === 'localhost' ? '127.0.0.1' : hostname,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      DIR,
    ],
    { logFile: LOG, pidFile: PID },
  );
  const ready = await waitFor(answers, 15_000, {
    giveUp: () => (isAlive(started) ? null : `redis-server exited while starting; last lines of ${shown(LOG)}:\n${tail(LOG)}`),
  }).catch((/** @type {Error} */ error) => {
    throw fail(error.message);
  });
  if (!ready) throw fail(`redis-server (pid ${started}) does not answer at ${address()}; last lines of ${shown(LOG)}:\n${tail(LOG)}`);
  return { name: 'redis', address: address(), started: true, owner: 'ours', detail: `pid ${started}, log ${shown(LOG)}` };
}

/** Stops our redis-server only. Returns the pid stopped, or null. */
export const stopRedis = () => stopPid(PID, { graceMs: 10_000, match: MATCH });

/** @returns {Promise<import('./process.mjs').ComponentStatus>} */
export async function redisStatus() {
  const pid = runningPid(PID, MATCH);
  const running = await answers();
  return {
    name: 'redis',
    address: address(),
    running,
    owner: running ? (pid ? 'ours' : 'external') : null,
    detail: pid ? `pid ${pid}` : '',
  };
}
