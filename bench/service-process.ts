import { launchService, type ServiceName } from '@softphone/service-catalog';
import { freePort, provisionTestKafka, serviceSecurityEnv, testEnv } from '@softphone/testing';

export interface ServiceProcess {
  url: string;
  /** The last lines of its output. */
  output(): string;
  /** The process id (to read its memory). */
  pid: number;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * One service instance as its own process (the one launcher), so it has a core of its own against the load generator;
 * secured as in production (the tests' identity provider and secrets, its Kafka principal, the prefix's topics and ACLs).
 */
export async function startServiceProcess(
  service: ServiceName,
  env: Record<string, string>,
  healthTimeoutMs?: number,
): Promise<ServiceProcess> {
  if (env.KAFKA_TOPIC_PREFIX !== undefined)
    await provisionTestKafka(env.KAFKA_TOPIC_PREFIX, testEnv.kafkaBrokers, Number(env.KAFKA_PARTITIONS ?? 3));
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const launched = await launchService({
    service,
    port: await freePort(),
    instance: `${service}-bench`,
    nodeArgs,
    env: { ...(await serviceSecurityEnv(service)), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    healthTimeoutMs,
  });
  return {
    url: launched.url,
    pid: launched.pid!,
    output: () => launched.output(),
    stop: async (signal = 'SIGTERM') => void (await launched.stop(signal)),
  };
}

/** The sum of a counter's series (every label set), read from the service's /metrics (with the metrics token). */
export async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${testEnv.metricsToken}` } })).text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
  return total;
}
