import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { Principal } from '@softphone/auth';
import { createServiceApp, loadConfig, MessagingLifecycle, type ServiceConfig, type ServiceDefaults } from '@softphone/platform';
import { provisionTestKafka, serviceSecurityEnv, testEnv, testToken, type TestDatabase } from '@softphone/testing';
import { HttpClient } from './http-client.js';

export interface TestServiceOptions {
  defaults: ServiceDefaults;
  module: (config: ServiceConfig) => DynamicModule;
  /** The test file's database for this service (two instances share one). */
  database: TestDatabase;
  /** The test file's topic prefix (also prefixes consumer groups). */
  topicPrefix: string;
  instanceId?: string;
  env?: Record<string, string>;
}

export interface TestService {
  app: INestApplication;
  config: ServiceConfig;
  http: HttpClient;
  close(): Promise<void>;
}

/**
 * What a service under test runs with: production mode (no development
 * defaults), the test identity provider's public keys, a strong softphone
 * secret, its own Kafka principal, the test file's database and topic prefix.
 */
export async function serviceTestEnv(service: string, database: TestDatabase, topicPrefix: string): Promise<Record<string, string>> {
  return {
    ...(await serviceSecurityEnv(service)),
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_PARTITIONS: '3',
    KAFKA_TOPIC_REFRESH_MS: '500',
    REDIS_URL: testEnv.redisUrl,
    SMTP_URL: testEnv.smtpUrl,
  };
}

/**
 * Runs one instance of a service in the test process, on a free port, against
 * the real PostgreSQL, Redis and Kafka (authenticated, with the environment's
 * ACLs provisioned), isolated by database and topic prefix. Resolves once its
 * consumers have joined their groups.
 */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const env: Record<string, string> = {
    ...(await serviceTestEnv(options.defaults.serviceName, options.database, options.topicPrefix)),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    INSTANCE_ID: options.instanceId ?? `${options.defaults.serviceName}-test`,
    ...options.env,
  };
  await provisionTestKafka(options.topicPrefix, env.KAFKA_BROKERS.split(','));
  const config = loadConfig(options.defaults, env);
  const app = await createServiceApp(options.module(config), config);
  await app.listen(0, '127.0.0.1');
  await app.get(MessagingLifecycle).ready();
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, config, http: new HttpClient(url), close: () => app.close() };
}

/** A bearer token the services under test accept. */
export function tokenFor(principal: Principal): Promise<string> {
  return testToken(principal);
}
