import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVICES, type ServiceName } from './services.js';

export interface LaunchOptions {
  service: ServiceName;
  /** Default: the service's port in SERVICES. */
  port?: number;
  /** Names the instance in output prefixes and INSTANCE_ID (default: the service's name). */
  instance?: string;
  /** Added to this process's environment (PORT and INSTANCE_ID come first, so env may override them). */
  env?: Record<string, string | undefined>;
  /** Node.js options before the entry point (default --enable-source-maps). */
  nodeArgs?: string[];
  /** Where each output line goes, prefixed with the instance name (default: kept only). */
  output?: NodeJS.WritableStream | null;
  /** ANSI color of the prefix when `output` is a terminal. */
  color?: number;
  /** Its own process group, so a Ctrl-C in the terminal reaches the launcher only, which then stops it in order. */
  ownProcessGroup?: boolean;
  /** How long /health may take to answer 200 (default 60 s). */
  healthTimeoutMs?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedService {
  service: ServiceName;
  instance: string;
  port: number;
  url: string;
  pid: number | undefined;
  /** null while it runs. */
  readonly exit: ExitStatus | null;
  exited: Promise<ExitStatus>;
  /** Its last output lines (all that are kept, 500, by default). */
  output(lines?: number): string;
  /** SIGTERM (graceful, SIGKILL after graceMs) or SIGKILL (a crash); resolves once it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL', graceMs?: number): Promise<ExitStatus>;
}

const KEPT_LINES = 500;

/** The workspace root (holds nx.json), from the sources or from their copy in dist/. */
function workspaceRoot(): string {
  let dir = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
  while (!existsSync(join(dir, 'nx.json'))) {
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${import.meta.url}`);
    dir = dirname(dir);
  }
  return dir;
}

const ROOT = workspaceRoot();

/** The compiled entry point of a service (`npm run build`). */
export const serviceMain = (service: ServiceName) => join(ROOT, 'dist/apps', service, 'src/main.js');

/** Children still running, killed if this process exits without stopping them (no orphans). */
const live = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
let killOnExit = false;

/**
 * Runs one service instance as its own process (the compiled main.js) and
 * resolves once GET /health answers 200; if it exits or stays unhealthy, kills
 * it and rejects with its last output lines. The one launcher of `npm start`,
 * the tests (libs/service-testing) and the benchmarks.
 */
export async function launchService(options: LaunchOptions): Promise<LaunchedService> {
  const { service } = options;
  const main = serviceMain(service);
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = options.port ?? SERVICES[service].port;
  const instance = options.instance ?? service;
  // Its /health must be its own: another process answering there would pass for it.
  if (await portOpen(port)) throw new Error(`port ${port} for ${instance} is already in use (another npm start, or a leftover service?)`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? ['--enable-source-maps']), main], {
    cwd: ROOT,
    env: definedOnly({ ...process.env, PORT: String(port), INSTANCE_ID: instance, ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  live.add(child);
  if (!killOnExit) {
    killOnExit = true;
    process.on('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
  const lines: string[] = [];
  const output = options.output;
  const prefix =
    output && (output as { isTTY?: boolean }).isTTY
      ? `\x1b[${options.color ?? 36}m${instance.padEnd(14)}|\x1b[0m `
      : `${instance.padEnd(14)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      output?.write(`${prefix}${line}\n`);
    });
  }
  let exit: ExitStatus | null = null;
  const exited = new Promise<ExitStatus>((resolve) => {
    const done = (status: ExitStatus) => {
      live.delete(child);
      exit ??= status;
      resolve(exit);
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      lines.push(`(could not start: ${error.message})`);
      done({ code: null, signal: null });
    });
  });
  const handle: LaunchedService = {
    service,
    instance,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    get exit() {
      return exit;
    },
    exited,
    output: (n = KEPT_LINES) => lines.slice(-n).join('\n'),
    async stop(signal = 'SIGTERM', graceMs = 20_000) {
      if (exit) return exit;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitHealthy(handle, Date.now() + (options.healthTimeoutMs ?? 60_000));
  } catch (error) {
    await handle.stop('SIGKILL');
    throw new Error(`${(error as Error).message}; its last output lines:\n${handle.output(30) || '(no output)'}`, { cause: error });
  }
  return handle;
}

/** An environment without the variables set to undefined (a child would see the text "undefined"). */
function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitHealthy(handle: LaunchedService, deadline: number): Promise<void> {
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
      throw new Error(`${handle.instance} did not answer ${handle.url}/health with 200 in time (last answer: ${status ?? 'none'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Launches several instances at once; if one fails, stops the others and rejects with its reason. */
export async function launchServices(list: LaunchOptions[]): Promise<LaunchedService[]> {
  const results = await Promise.allSettled(list.map((options) => launchService(options)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stopServices(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    throw failure.reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<LaunchedService>).value);
}

/** SIGTERM to each, SIGKILL to those still running after graceMs; resolves once all have exited. */
export async function stopServices(handles: LaunchedService[], graceMs = 20_000): Promise<ExitStatus[]> {
  return Promise.all(handles.map((handle) => handle.stop('SIGTERM', graceMs)));
}
