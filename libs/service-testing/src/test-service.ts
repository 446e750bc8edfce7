import type { DynamicModule, INestApplication } from '@nestjs/common';
import { signToken, type Principal } from '@softphone/auth';
import { createServiceApp, loadConfig, MessagingLifecycle, type ServiceConfig, type ServiceDefaults } from '@softphone/platform';
import { testEnv, type TestDatabase } from '@softphone/testing';
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
 * Runs one instance of a service in the test process, on a free port, against
 * the real PostgreSQL, Redis and Kafka, isolated by database and topic prefix.
 * Resolves once its consumers have joined their groups.
 */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const config = loadConfig(options.defaults, {
    DATABASE_URL: options.database.url,
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    KAFKA_PARTITIONS: '3',
    JWT_SECRET: testEnv.jwtSecret,
    REDIS_URL: testEnv.redisUrl,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    SMTP_URL: testEnv.smtpUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    INSTANCE_ID: options.instanceId ?? `${options.defaults.serviceName}-test`,
    ...options.env,
  });
  const app = await createServiceApp(options.module(config), config);
  await app.listen(0, '127.0.0.1');
  await app.get(MessagingLifecycle).ready();
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, config, http: new HttpClient(url), close: () => app.close() };
}

/** A bearer token the services under test accept. */
export function tokenFor(principal: Principal): Promise<string> {
  return signToken(principal, testEnv.jwtSecret);
}
