import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, provisionTestKafka, type TestDatabase } from '@softphone/testing';
import { HttpClient } from './http-client.js';
import { serviceTestEnv } from './test-service.js';

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

export interface ServiceProcessOptions {
  /** apps/<service>, compiled into dist/ by `npm run build` (the test command builds first). */
  service: 'tenant-svc' | 'agent-svc' | 'call-svc' | 'quality-svc';
  database: TestDatabase;
  topicPrefix: string;
  instanceId?: string;
  env?: Record<string, string>;
}

export interface ServiceProcess {
  url: string;
  http: HttpClient;
  /** Output so far, for diagnostics. */
  output(): string;
  /** SIGTERM (graceful) or SIGKILL (crash), and wait for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Runs a service as a separate process (the compiled main.js), against the real
 * servers, isolated by database and topic prefix; resolves when /health is 200.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const main = join(ROOT, 'dist/apps', options.service, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = await freePort();
  let output = '';
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...(await serviceTestEnv(options.service, options.database, options.topicPrefix)),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INSTANCE_ID: options.instanceId ?? `${options.service}-process`,
    ...options.env,
  };
  await provisionTestKafka(options.topicPrefix, (env.KAFKA_BROKERS ?? '').split(','));
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.service} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`${options.service} not healthy after 60 s:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, http: new HttpClient(url), output: () => output, stop };
}
