import { launchService, type ServiceName } from '@softphone/service-catalog';
import { freePort, provisionTestKafka, type TestDatabase } from '@softphone/testing';
import { HttpClient } from './http-client.js';
import { serviceTestEnv } from './test-service.js';

export interface ServiceProcessOptions {
  /** apps/<service>, compiled into dist/ by `npm run build` (the test command builds first). */
  service: ServiceName;
  database: TestDatabase;
  topicPrefix: string;
  instanceId?: string;
  env?: Record<string, string>;
}

export interface ServiceProcess {
  url: string;
  http: HttpClient;
  /** Output so far (its last lines), for diagnostics. */
  output(): string;
  /** SIGTERM (graceful) or SIGKILL (crash), and wait for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Runs a service as a separate process (the one launcher, on a free port),
 * against the real servers (Kafka authenticated, the environment's ACLs
 * provisioned), isolated by database and topic prefix; resolves when /health is 200.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const env: Record<string, string> = {
    ...(await serviceTestEnv(options.service, options.database, options.topicPrefix)),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  await provisionTestKafka(options.topicPrefix, env.KAFKA_BROKERS.split(','));
  const launched = await launchService({
    service: options.service,
    port: await freePort(),
    instance: options.instanceId ?? `${options.service}-process`,
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the services (system bench, tests).
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    env,
  });
  return {
    url: launched.url,
    http: new HttpClient(launched.url),
    output: () => launched.output(),
    stop: async (signal = 'SIGTERM') => void (await launched.stop(signal)),
  };
}
