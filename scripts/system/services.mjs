/**
 * Runs the compiled services (dist/apps/<svc>/src/main.js, from `npm run build`)
 * as child processes against the local infrastructure, prefixes their output
 * with the instance name, and waits until each answers GET /health with 200.
 * Used by scripts/start.mjs and reusable by end-to-end tests, e.g. a second
 * instance of call-svc on port 3103:
 *
 *   const extra = await startServices({ services: ['call-svc'], instanceSuffix: '-2', portOffset: 100 });
 *   ...
 *   await stopServices(extra);
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { kafkaBrokers } from '../infra/kafka.mjs';
import { ROOT, shown } from '../infra/paths.mjs';
import { databaseUrl } from '../infra/postgres.mjs';
import { portOpen, sleep } from '../infra/process.mjs';
import { redisUrl } from '../infra/redis.mjs';
import { smtpUrl } from '../infra/smtp.mjs';

/** The services, their default port and database (edge-svc, the browsers' origin, has none). */
export const SERVICES = {
  'tenant-svc': { port: 3001, database: 'softphone_tenant' },
  'agent-svc': { port: 3002, database: 'softphone_agent' },
  'call-svc': { port: 3003, database: 'softphone_call' },
  'quality-svc': { port: 3004, database: 'softphone_quality' },
  'edge-svc': { port: 3000, database: null },
};

export const DEFAULT_JWT_SECRET = 'dev-secret-change-me';
const KEEP_LINES = 200;
const COLORS = [36, 33, 35, 32, 34, 31];

/** Path of a service's compiled entry point. */
export const serviceMain = (name) => join(ROOT, 'dist/apps', name, 'src/main.js');

/** The services (of `names`) whose compiled entry point is missing. */
export const missingServices = (names = Object.keys(SERVICES)) => names.filter((name) => !existsSync(serviceMain(name)));

/** The environment a service gets: the inherited one, the local infrastructure's addresses, then `extra`. */
export function serviceEnv(name, port, extra = {}) {
  return {
    ...process.env,
    PORT: String(port),
    ...(SERVICES[name].database ? { DATABASE_URL: databaseUrl(SERVICES[name].database) } : {}),
    REDIS_URL: redisUrl(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    SMTP_URL: smtpUrl(),
    JWT_SECRET: process.env.JWT_SECRET ?? DEFAULT_JWT_SECRET,
    INSTANCE_ID: `${hostname()}-${port}`,
    ...extra,
  };
}

/** Live children, killed if this process exits without stopping them (no orphans after a crash of the caller). */
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function spawnService(name, { port, instance, env, output, color }) {
  const child = spawn(process.execPath, ['--enable-source-maps', serviceMain(name)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a Ctrl-C in the terminal reaches the caller only, which then stops the services in order.
    detached: true,
  });
  live.add(child);
  const lines = [];
  const prefix = output?.isTTY ? `\x1b[${color}m${instance.padEnd(14)}|\x1b[0m ` : `${instance.padEnd(14)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
      output?.write(`${prefix}${line}\n`);
    });
  }
  const handle = {
    name,
    instance,
    port,
    url: `http://127.0.0.1:${port}`,
    docsUrl: `http://127.0.0.1:${port}/docs`,
    pid: child.pid,
    child,
    /** Set by stopServices(): an exit after this is expected. */
    stopping: false,
    /** null while running, then { code, signal }. */
    exit: null,
    /** Resolves with { code, signal } when the process has exited. */
    exited: null,
    /** The last n lines of its output. */
    lastLines: (n = 30) => lines.slice(-n).join('\n'),
  };
  handle.exited = new Promise((resolve) => {
    const done = (code, signal) => {
      live.delete(child);
      handle.exit ??= { code, signal };
      resolve(handle.exit);
    };
    child.once('exit', done);
    child.once('error', (error) => {
      lines.push(`(could not start: ${error.message})`);
      done(null, null);
    });
  });
  return handle;
}

async function waitHealthy(handle, deadline) {
  for (;;) {
    if (handle.exit) {
      const how = handle.exit.signal ? `signal ${handle.exit.signal}` : `code ${handle.exit.code}`;
      throw new Error(`${handle.instance} exited (${how}) before answering ${handle.url}/health`);
    }
    const status = await fetch(`${handle.url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => null,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${handle.instance} did not answer ${handle.url}/health with 200 within the timeout (last answer: ${status ?? 'none'})`,
      );
    }
    await sleep(500);
  }
}

/**
 * Starts the services as child processes and resolves when each answers GET /health with 200.
 *
 * @param {object} [options]
 * @param {string[]} [options.services] names from SERVICES (default: all five)
 * @param {object|function} [options.env] extra environment, or (name, port) => extra environment, applied last
 * @param {string} [options.instanceSuffix] appended to the name in output prefixes and handles (e.g. '-2')
 * @param {number} [options.portOffset] added to each default port (e.g. 100: call-svc on 3103)
 * @param {number} [options.healthTimeoutMs] default 120 s
 * @param {NodeJS.WritableStream|null} [options.output] where prefixed output goes (default process.stdout; null: kept only)
 * @returns {Promise<object[]>} handles: { name, instance, port, url, docsUrl, pid, child, exited, exit, lastLines(n), stopping }
 * On failure, stops what it started and throws an Error with `.instance` and the failing one's last output lines.
 */
export async function startServices({
  services = Object.keys(SERVICES),
  env = {},
  instanceSuffix = '',
  portOffset = 0,
  healthTimeoutMs = 120_000,
  output = process.stdout,
} = {}) {
  const unknown = services.filter((name) => !SERVICES[name]);
  if (unknown.length) throw new Error(`unknown service(s) ${unknown.join(', ')}; known: ${Object.keys(SERVICES).join(', ')}`);
  const missing = missingServices(services);
  if (missing.length) {
    throw new Error(
      `not built: ${missing.map((name) => shown(serviceMain(name))).join(', ')} (run npm run build; is apps/${missing[0]} written yet?)`,
    );
  }
  const plan = services.map((name) => ({ name, port: SERVICES[name].port + portOffset, instance: `${name}${instanceSuffix}` }));
  for (const { instance, port } of plan) {
    if (await portOpen('127.0.0.1', port))
      throw new Error(`port ${port} for ${instance} is already in use (another npm start, or a leftover service?)`);
  }
  const handles = plan.map(({ name, port, instance }, i) =>
    spawnService(name, {
      port,
      instance,
      env: serviceEnv(name, port, typeof env === 'function' ? env(name, port) : env),
      output,
      color: COLORS[(Object.keys(SERVICES).indexOf(name) + i) % COLORS.length],
    }),
  );
  const deadline = Date.now() + healthTimeoutMs;
  const results = await Promise.allSettled(handles.map((handle) => waitHealthy(handle, deadline)));
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    const handle = handles[failed];
    await stopServices(handles);
    const error = new Error(`${results[failed].reason.message}; its last output lines:\n${handle.lastLines(30) || '(no output)'}`);
    error.instance = handle.instance;
    throw error;
  }
  return handles;
}

/**
 * SIGTERM to each running service, wait up to graceMs (default 20 s), then SIGKILL.
 * Resolves with [{ instance, code, signal, killed }].
 */
export async function stopServices(handles, { graceMs = 20_000 } = {}) {
  for (const handle of handles) {
    handle.stopping = true;
    if (!handle.exit) handle.child.kill('SIGTERM');
  }
  let timer;
  const graceOver = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([Promise.all(handles.map((h) => h.exited)), graceOver]);
  clearTimeout(timer);
  const killed = new Set();
  for (const handle of handles) {
    if (!handle.exit) {
      killed.add(handle);
      handle.child.kill('SIGKILL');
    }
  }
  await Promise.all(handles.map((h) => h.exited));
  return handles.map((h) => ({ instance: h.instance, code: h.exit.code, signal: h.exit.signal, killed: killed.has(h) }));
}
