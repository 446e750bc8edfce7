import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ServiceProcess {
  url: string;
  /** The last lines of its output. */
  output(): string;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export type ServiceName = 'tenant-svc' | 'agent-svc' | 'call-svc' | 'quality-svc';

/** The compiled service (dist/apps/<service>/src/main.js). */
const mainOf = (service: ServiceName) => fileURLToPath(new URL(`../apps/${service}/src/main.js`, import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * One service instance as its own process (the compiled service), so it has a
 * core of its own against the load generator. The benchmarks run outside Jest,
 * hence not libs/service-testing (which brings Jest's helpers along).
 */
export async function startServiceProcess(service: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  let output = '';
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, mainOf(service)], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', INSTANCE_ID: `${service}-bench`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-5000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-5000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`${service} exited:\n${output}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${service} not healthy after 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The sum of a counter's series (every label set), read from the service's /metrics. */
export async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
  return total;
}
