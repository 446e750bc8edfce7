// @ts-check
/**
 * PostgreSQL: the server at PGHOST/PGPORT, or at DATABASE_URL's host and port
 * (default postgres://postgres@127.0.0.1:5432/postgres), when it answers SELECT 1.
 * Otherwise, for a local address, in order: Debian's cluster for that port
 * (pg_ctlcluster <version> main start), or a trust-auth cluster of our own in
 * .infra/postgres/data made with the system's initdb/pg_ctl.
 * Only a server started here is ever stopped (remembered in .infra/postgres/started-by-infra.json).
 *
 * startPrivatePostgres/stopPrivatePostgres run a throwaway cluster of a test's own
 * (own folder and port, same binaries), for tests that restart PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { INFRA_DIR, shown } from './paths.mjs';
import { InfraError, waitFor, which } from './process.mjs';

const DIR = join(INFRA_DIR, 'postgres');
const MARKER = join(DIR, 'started-by-infra.json');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** @param {string} message */
const fail = (message) => new InfraError('postgres', message);

/** The server's connection URL (database postgres unless DATABASE_URL names one). */
export function postgresUrl() {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (process.env.PGHOST) url.hostname = process.env.PGHOST;
  if (process.env.PGPORT) url.port = process.env.PGPORT;
  if (!url.port) url.port = '5432';
  return url;
}

/**
 * The URL of one database on the same server, e.g. databaseUrl('softphone_call').
 * @param {string} database
 */
export function databaseUrl(database) {
  const url = postgresUrl();
  url.pathname = `/${database}`;
  return url.toString();
}

const address = () => `${postgresUrl().hostname}:${postgresUrl().port}`;

/**
 * 'ok' when SELECT 1 answers; 'down' when nothing answers; otherwise the server's error (it runs, but refuses us).
 * @returns {Promise<string>}
 */
async function probe(url = postgresUrl()) {
  const tryUrl = async (/** @type {URL} */ url) => {
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return 'ok';
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  // A server's own error (SQLSTATE, severity) means it runs; a socket error means nothing answers.
  const refusal = (/** @type {{ severity?: string, code?: string, message: string }} */ error) =>
    error.severity && /^[0-9A-Z]{5}$/.test(error.code ?? '') ? `${error.code} ${error.message}` : 'down';
  try {
    return await tryUrl(url);
  } catch (caught) {
    const error = /** @type {{ severity?: string, code?: string, message: string }} */ (caught);
    if (error.code === '3D000' && url.pathname !== '/postgres') {
      // The named database does not exist yet (the services create theirs): ask the server's default one.
      url.pathname = '/postgres';
      return tryUrl(url).catch(refusal);
    }
    return refusal(error);
  }
}

const answers = async (/** @type {URL} */ url = postgresUrl()) => (await probe(url)) === 'ok';

/**
 * Debian's clusters (postgresql-common) whose "main" cluster listens on our port.
 * @param {number} port
 */
function debianClusters(port) {
  if (!existsSync('/etc/postgresql') || !which('pg_ctlcluster')) return [];
  return readdirSync('/etc/postgresql')
    .filter((version) => /^\d+$/.test(version) && Number(version) >= 13)
    .sort((a, b) => Number(b) - Number(a))
    .filter((version) => {
      const conf = `/etc/postgresql/${version}/main/postgresql.conf`;
      if (!existsSync(conf)) return false;
      const configured = /^\s*port\s*=\s*(\d+)/m.exec(readFileSync(conf, 'utf8'))?.[1];
      return Number(configured ?? 5432) === port;
    });
}

/**
 * initdb and pg_ctl (13+): the newest under /usr/lib/postgresql/<v>/bin, else on the PATH.
 * @returns {{ initdb: string, pgCtl: string } | null}
 */
function serverBinaries() {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v) && Number(v) >= 13)
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')))
      return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
  }
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  if (initdb && pgCtl) return { initdb, pgCtl };
  return null;
}

/**
 * Runs a server binary; as root, as the postgres user (initdb and postgres refuse to run as root).
 * @param {string} command
 * @param {string[]} args
 */
function runServerCommand(command, args) {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw fail(`${command} ${args.join(' ')} failed:\n${`${result.stderr}${result.stdout}`.trim()}`);
}

/** @param {string} name */
function userIds(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** @param {string} version */
async function startDebianCluster(version) {
  const result = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { encoding: 'utf8' });
  if (result.status !== 0 && !(await answers())) return `pg_ctlcluster ${version} main start: ${`${result.stderr}${result.stdout}`.trim()}`;
  if (!(await waitFor(() => answers(), 30_000, { intervalMs: 500 })))
    return `cluster ${version}/main started but ${address()} does not answer`;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(MARKER, `${JSON.stringify({ how: 'pg_ctlcluster', version })}\n`);
  return null;
}

/**
 * A cluster of our own: its folder, data, log, and where it listens.
 * @param {{ dir?: string, port?: number, host?: string }} [where]
 */
function ownCluster({ dir = DIR, port = Number(postgresUrl().port), host = postgresUrl().hostname } = {}) {
  const url = new URL(`postgres://postgres@${host}:${port}/postgres`);
  return { dir, data: join(dir, 'data'), log: join(dir, 'postgres.log'), host: host.replace(/^\[|\]$/g, ''), port, url };
}

/**
 * initdb (first time) and pg_ctl start; returns true when it initialised the data folder.
 * @param {{ initdb: string, pgCtl: string }} bin
 * @param {ReturnType<typeof ownCluster>} cluster
 */
async function startOwnCluster(bin, cluster) {
  const { dir, data, log, host, port, url } = cluster;
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const ids = userIds('postgres');
    if (!ids || !which('runuser'))
      throw fail(
        'running as root, initdb needs an unprivileged "postgres" user and runuser (util-linux): useradd postgres, or run as another user.',
      );
    chownSync(dir, ids.uid, ids.gid);
    if (existsSync(data)) spawnSync('chown', ['-R', `${ids.uid}:${ids.gid}`, data]);
  }
  let initialised = false;
  if (!existsSync(join(data, 'PG_VERSION'))) {
    runServerCommand(bin.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
    initialised = true;
  }
  runServerCommand(bin.pgCtl, ['-D', data, '-l', log, '-o', `-p ${port} -c listen_addresses=${host} -k ${dir}`, '-w', '-t', '60', 'start']);
  if (!(await waitFor(() => answers(url), 30_000, { intervalMs: 500 })))
    throw fail(`started a cluster in ${shown(data)} but ${host}:${port} does not answer; see ${shown(log)}`);
  return initialised;
}

function requireBinaries() {
  const bin = serverBinaries();
  if (!bin) throw fail('no PostgreSQL server binaries found (initdb, pg_ctl): apt-get install postgresql.');
  return bin;
}

/**
 * A test's own throwaway cluster in `dir`, listening on 127.0.0.1:`port`; resolves to its server URL.
 * @param {{ dir: string, port: number }} where
 * @returns {Promise<{ url: string }>}
 */
export async function startPrivatePostgres({ dir, port }) {
  const cluster = ownCluster({ dir, port, host: '127.0.0.1' });
  await startOwnCluster(requireBinaries(), cluster);
  return { url: cluster.url.toString() };
}

/**
 * Stops a cluster started by startPrivatePostgres (fast shutdown); its data stays for a restart.
 * @param {{ dir: string }} where
 */
export function stopPrivatePostgres({ dir }) {
  const { data } = ownCluster({ dir });
  if (existsSync(join(data, 'postmaster.pid'))) runServerCommand(requireBinaries().pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
}

/** @returns {Promise<import('./process.mjs').StartResult>} */
export async function startPostgres() {
  const url = postgresUrl();
  const port = Number(url.port);
  const state = await probe();
  if (state === 'ok') return { name: 'postgres', address: address(), started: false, owner: existsSync(MARKER) ? 'ours' : 'external' };
  if (state !== 'down') {
    throw fail(
      `a server answers at ${address()} but refuses us (${state}): fix DATABASE_URL (user postgres with trust auth is expected locally).`,
    );
  }
  if (!LOCAL_HOSTS.has(url.hostname))
    throw fail(`PostgreSQL not reachable at ${address()}, a remote address: start it, or set DATABASE_URL to a reachable server.`);
  const problems = [];
  for (const version of debianClusters(port)) {
    const problem = await startDebianCluster(version);
    if (!problem) return { name: 'postgres', address: address(), started: true, owner: 'ours', detail: `Debian cluster ${version}/main` };
    problems.push(problem);
  }
  const bin = serverBinaries();
  if (!bin) {
    throw fail(
      `PostgreSQL 13+ not reachable at ${address()} and no server binaries found (initdb, pg_ctl): apt-get install postgresql, or set DATABASE_URL to a reachable server.` +
        (problems.length ? `\n${problems.join('\n')}` : ''),
    );
  }
  const cluster = ownCluster();
  const initialised = await startOwnCluster(bin, cluster);
  writeFileSync(MARKER, `${JSON.stringify({ how: 'pg_ctl', pgCtl: bin.pgCtl, data: cluster.data })}\n`);
  return {
    name: 'postgres',
    address: address(),
    started: true,
    owner: 'ours',
    detail: `${initialised ? 'new ' : ''}cluster in ${shown(cluster.data)}, log ${shown(cluster.log)}`,
  };
}

/**
 * Stops the server only if this script started it. Returns a description of what it stopped, or null.
 * @returns {Promise<string | null>}
 */
export async function stopPostgres() {
  if (!existsSync(MARKER)) return null;
  const how = JSON.parse(readFileSync(MARKER, 'utf8'));
  if (how.how === 'pg_ctlcluster') {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', '--mode', 'fast', how.version, 'main', 'stop'], { stdio: 'ignore' });
  } else if (existsSync(join(how.data, 'postmaster.pid'))) {
    runServerCommand(how.pgCtl, ['-D', how.data, '-m', 'fast', '-w', 'stop']);
  }
  rmSync(MARKER, { force: true });
  return how.how === 'pg_ctlcluster' ? `cluster ${how.version}/main` : shown(how.data);
}

/** @returns {Promise<import('./process.mjs').ComponentStatus>} */
export async function postgresStatus() {
  const running = await answers();
  return { name: 'postgres', address: address(), running, owner: running ? (existsSync(MARKER) ? 'ours' : 'external') : null };
}
