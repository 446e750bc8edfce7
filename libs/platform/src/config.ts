import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import type { TokenPolicy } from '@softphone/auth';
import { publicKeySetProblems, secretProblem } from './secrets.policy.js';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
const LOG_FORMATS = ['text', 'json'] as const;
const MODES = ['production', 'development'] as const;
const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  SOFTPHONE_MODE: z.enum(MODES).default('production'),
  PORT: count(0, 65_535).optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: count(1, 200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, 'comma-separated host:port list')
    .default('127.0.0.1:9094'),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  KAFKA_PARTITIONS: count(1, 256).default(6),
  KAFKA_TOPIC_REFRESH_MS: count(100, 3_600_000).default(10_000),
  KAFKA_USERNAME: z.string().min(1).optional(),
  KAFKA_PASSWORD: z.string().optional(),
  KAFKA_SASL_MECHANISM: z.enum(SASL_MECHANISMS).default('scram-sha-512'),
  KAFKA_SSL: z.enum(['true', 'false']).default('false'),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  JWT_PUBLIC_KEYS: z.string().optional(),
  JWT_PUBLIC_KEYS_FILE: z.string().min(1).optional(),
  JWT_MAX_TTL_SECONDS: count(60, 7 * 86_400).default(12 * 3600),
  JWT_CLOCK_TOLERANCE_SECONDS: count(0, 300).default(30),
  JWT_SECRET: z
    .string()
    .optional()
    .refine((value) => value === undefined, 'is no longer read: tokens are EdDSA/RS256, give the public keys in JWT_PUBLIC_KEYS'),
  SOFTPHONE_SECRET: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  RATE_LIMIT_WINDOW_SECONDS: count(1, 3600).default(60),
  RATE_LIMIT_WRITES: count(1, 10_000_000).default(600),
  RATE_LIMIT_GATEWAY_WRITES: count(1, 10_000_000).default(60_000),
  RATE_LIMIT_AUTH_FAILURES: count(1, 10_000_000).default(30),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('softphone@localhost'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** text: one readable line a record; json: one object a line (the default when NODE_ENV=production). */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  NODE_ENV: z.string().optional(),
  INSTANCE_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

export interface KafkaAuth {
  mechanism: (typeof SASL_MECHANISMS)[number];
  username: string;
  password: string;
}

export interface RateLimits {
  windowSeconds: number;
  /** Mutating requests per principal per window. */
  writes: number;
  /** Mutating requests per gateway principal per window (gateways report for every call of the tenant). */
  gatewayWrites: number;
  /** Failed authentications per client address per window. */
  authFailures: number;
}

export interface ServiceConfig {
  serviceName: string;
  instanceId: string;
  /** production unless SOFTPHONE_MODE=development: secrets are then checked strictly. */
  mode: (typeof MODES)[number];
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  kafkaBrokers: string[];
  kafkaTopicPrefix: string;
  kafkaPartitions: number;
  /** How often consumers of per-tenant topics (samples) look for new ones. */
  kafkaTopicRefreshMs: number;
  /** SASL credentials of the service's Kafka principal (null only in development, for a broker without authentication). */
  kafkaAuth: KafkaAuth | null;
  /** TLS to the brokers: false, or the CA to trust (null: the system's). */
  kafkaTls: false | { ca: string | null };
  /** The identity provider's public keys: a service verifies tokens and cannot mint them. */
  jwtPublicKeys: JSONWebKeySet;
  tokenPolicy: TokenPolicy;
  /** agent-svc derives softphone passwords with it (HMAC); the WebRTC gateways share it. null for services that do not use it. */
  softphoneSecret: string | null;
  /** Bearer token of GET /metrics; null: /metrics is not served. */
  metricsToken: string | null;
  rateLimits: RateLimits;
  smtpUrl: string;
  mailFrom: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The environment this configuration was read from: a service validates its own settings from it. */
  env: Readonly<Record<string, string | undefined>>;
  logFormat: (typeof LOG_FORMATS)[number];
  /** OTLP/HTTP endpoint for traces; tracing is off without one. */
  otlpEndpoint?: string;
}

export interface ServiceDefaults {
  serviceName: string;
  port: number;
  /** Database name used when DATABASE_URL is not set; null for a service without a database (edge-svc). */
  database: string | null;
  /** The service derives softphone passwords: SOFTPHONE_SECRET is required. */
  usesSoftphoneSecret?: boolean;
}

type Env = z.infer<typeof EnvSchema>;

class ConfigProblems {
  readonly list: string[] = [];
  add(variable: string, problem: string): void {
    this.list.push(`${variable}: ${problem}`);
  }
  /** A secret outside development must be present, 32 bytes or more and not a known default. */
  secret(variable: string, value: string | undefined, env: Env, required: boolean): void {
    if (env.SOFTPHONE_MODE === 'development' || (!required && !value)) return;
    const problem = secretProblem(value);
    if (problem) this.add(variable, `${problem} (outside SOFTPHONE_MODE=development)`);
  }
}

function readPublicKeys(env: Env, problems: ConfigProblems): JSONWebKeySet {
  let text = env.JWT_PUBLIC_KEYS;
  let variable = 'JWT_PUBLIC_KEYS';
  if (!text && env.JWT_PUBLIC_KEYS_FILE) {
    variable = 'JWT_PUBLIC_KEYS_FILE';
    try {
      text = readFileSync(env.JWT_PUBLIC_KEYS_FILE, 'utf8');
    } catch (error) {
      problems.add(variable, `cannot be read (${(error as Error).message})`);
      return { keys: [] };
    }
  }
  if (!text) {
    problems.add('JWT_PUBLIC_KEYS', 'is missing: the JWKS of the identity provider (or JWT_PUBLIC_KEYS_FILE, a file holding it)');
    return { keys: [] };
  }
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    problems.add(variable, 'is not JSON');
    return { keys: [] };
  }
  for (const problem of publicKeySetProblems(set)) problems.add(variable, problem);
  return set as JSONWebKeySet;
}

function kafkaAuthOf(env: Env, problems: ConfigProblems): KafkaAuth | null {
  if (!env.KAFKA_USERNAME) {
    if (env.SOFTPHONE_MODE !== 'development') problems.add('KAFKA_USERNAME', "is missing: the service's Kafka principal");
    return null;
  }
  problems.secret('KAFKA_PASSWORD', env.KAFKA_PASSWORD, env, true);
  return { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD ?? '' };
}

function kafkaTlsOf(env: Env, problems: ConfigProblems): ServiceConfig['kafkaTls'] {
  if (env.KAFKA_SSL !== 'true') return false;
  if (!env.KAFKA_SSL_CA_FILE) return { ca: null };
  try {
    return { ca: readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8') };
  } catch (error) {
    problems.add('KAFKA_SSL_CA_FILE', `cannot be read (${(error as Error).message})`);
    return { ca: null };
  }
}

function softphoneSecretOf(defaults: ServiceDefaults, env: Env, problems: ConfigProblems): string | null {
  if (!defaults.usesSoftphoneSecret) return null;
  problems.secret('SOFTPHONE_SECRET', env.SOFTPHONE_SECRET, env, true);
  // Development without one: a secret of this process (gateways of a development setup get it from npm start).
  return env.SOFTPHONE_SECRET || randomBytes(32).toString('base64url');
}

/**
 * Reads and validates the environment. Outside SOFTPHONE_MODE=development a
 * service refuses to start when a secret is missing, shorter than 32 bytes or
 * a known default, when the token keys are not public keys, or when it has no
 * Kafka principal; the error lists every problem.
 */
export function loadConfig(defaults: ServiceDefaults, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration of ${defaults.serviceName}: ${problems}`);
  }
  const e = parsed.data;
  const problems = new ConfigProblems();
  const config: ServiceConfig = {
    serviceName: defaults.serviceName,
    instanceId: e.INSTANCE_ID,
    mode: e.SOFTPHONE_MODE,
    port: e.PORT ?? defaults.port,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? (defaults.database ? `postgres://postgres@127.0.0.1:5432/${defaults.database}` : ''),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    kafkaBrokers: e.KAFKA_BROKERS.split(','),
    kafkaTopicPrefix: e.KAFKA_TOPIC_PREFIX,
    kafkaPartitions: e.KAFKA_PARTITIONS,
    kafkaTopicRefreshMs: e.KAFKA_TOPIC_REFRESH_MS,
    kafkaAuth: kafkaAuthOf(e, problems),
    kafkaTls: kafkaTlsOf(e, problems),
    jwtPublicKeys: readPublicKeys(e, problems),
    tokenPolicy: { maxLifetimeSeconds: e.JWT_MAX_TTL_SECONDS, clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_SECONDS },
    softphoneSecret: softphoneSecretOf(defaults, e, problems),
    metricsToken: e.METRICS_TOKEN || null,
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      writes: e.RATE_LIMIT_WRITES,
      gatewayWrites: e.RATE_LIMIT_GATEWAY_WRITES,
      authFailures: e.RATE_LIMIT_AUTH_FAILURES,
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    env: { ...env },
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'text'),
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
  problems.secret('METRICS_TOKEN', e.METRICS_TOKEN, e, false);
  if (problems.list.length > 0) throw new Error(`invalid configuration of ${defaults.serviceName}: ${problems.list.join('; ')}`);
  return config;
}
