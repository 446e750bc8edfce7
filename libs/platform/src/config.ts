import { hostname } from 'node:os';
import { z } from 'zod';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, 'comma-separated host:port list')
    .default('127.0.0.1:9092'),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  JWT_SECRET: z.string().min(8).default('dev-secret-change-me'),
  SOFTPHONE_SECRET: z.string().min(8).default('dev-softphone-secret-change-me'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('softphone@localhost'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  INSTANCE_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

export interface ServiceConfig {
  serviceName: string;
  instanceId: string;
  port: number;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  kafkaBrokers: string[];
  kafkaTopicPrefix: string;
  kafkaPartitions: number;
  jwtSecret: string;
  /** agent-svc derives softphone passwords with it (HMAC); the WebRTC gateways share it. */
  softphoneSecret: string;
  smtpUrl: string;
  mailFrom: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** OTLP/HTTP endpoint for traces; tracing is off without one. */
  otlpEndpoint?: string;
}

export interface ServiceDefaults {
  serviceName: string;
  port: number;
  /** Database name used when DATABASE_URL is not set; null for a service without a database (edge-svc). */
  database: string | null;
}

/** Reads and validates the environment; every variable has a default that works on a development machine. */
export function loadConfig(defaults: ServiceDefaults, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration of ${defaults.serviceName}: ${problems}`);
  }
  const e = parsed.data;
  return {
    serviceName: defaults.serviceName,
    instanceId: e.INSTANCE_ID,
    port: e.PORT ?? defaults.port,
    databaseUrl: e.DATABASE_URL ?? (defaults.database ? `postgres://postgres@127.0.0.1:5432/${defaults.database}` : ''),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    kafkaBrokers: e.KAFKA_BROKERS.split(','),
    kafkaTopicPrefix: e.KAFKA_TOPIC_PREFIX,
    kafkaPartitions: e.KAFKA_PARTITIONS,
    jwtSecret: e.JWT_SECRET,
    softphoneSecret: e.SOFTPHONE_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
