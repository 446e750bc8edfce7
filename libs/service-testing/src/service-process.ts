import { launchService, type ServiceName } from '@softphone/service-catalog';
import { freePort, testEnv, type TestDatabase } from '@softphone/testing';
import { HttpClient } from './http-client.js';

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
 * against the real servers, isolated by database and topic prefix; resolves
 * when /health is 200.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const launched = await launchService({
    service: options.service,
    port: await freePort(),
    instance: options.instanceId ?? `${options.service}-process`,
    env: {
      DATABASE_URL: options.database.url,
      KAFKA_TOPIC_PREFIX: options.topicPrefix,
      KAFKA_PARTITIONS: '3',
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      REDIS_URL: testEnv.redisUrl,
      SMTP_URL: testEnv.smtpUrl,
      JWT_SECRET: testEnv.jwtSecret,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  return {
    url: launched.url,
    http: new HttpClient(launched.url),
    output: () => launched.output(),
    stop: async (signal = 'SIGTERM') => void (await launched.stop(signal)),
  };
}
