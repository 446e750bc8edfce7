#!/usr/bin/env node
/**
 * npm start: the whole system on this machine, in development mode. Installs
 * dependencies if needed, brings up the infrastructure, builds, provisions
 * Kafka's topics and ACLs, starts the four services and the edge (the one
 * launcher, libs/service-catalog, with the ports of its table) on 127.0.0.1,
 * prints where they listen; Ctrl-C stops everything it started.
 *
 * Development secrets are generated once into .infra/dev-keys/ (mode 0600):
 * the identity provider's signing key (services only get its public half), the
 * softphone secret and the metrics token. A token is printed only on request,
 * short-lived: `npm start -- --token` (1 h, system admin), or `npm run token`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureDependencies, step } from './ensure-deps.mjs';

ensureDependencies();
const printToken = process.argv.includes('--token');
const { up, down } = await import('./infra.mjs');
const { INFRA_DIR } = await import('#infra/paths');
const { kafkaBrokers, kafkaClientOptions, kafkaCredentials, kafkaTlsCa, kafkaTlsCaFile } = await import('#infra/kafka');
const { databaseUrl } = await import('#infra/postgres');
const { redisUrl } = await import('#infra/redis');
const { smtpUrl } = await import('#infra/smtp');

process.stdout.write('▶ infrastructure\n');
const startedInfra = await up();
step('build', 'npm', ['run', 'build', '--silent']);
const { launchServices, stopServices, SERVICES, SERVICE_NAMES } = await import('../dist/libs/service-catalog/src/index.js');
const { devSigningKeyFile, loadOrCreateSigningKey, publicKeySet, signToken } = await import('../dist/libs/auth/src/index.js');
const { provisionEnvironment } = await import('../dist/libs/kafka-access/src/index.js');

const DEV_KEYS = join(INFRA_DIR, 'dev-keys');
/**
 * A development secret kept across restarts (softphone passwords stay derivable by the gateways).
 * @param {string} name
 */
function devSecret(name) {
  const file = join(DEV_KEYS, name);
  if (!existsSync(file)) {
    mkdirSync(DEV_KEYS, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
const signingKey = loadOrCreateSigningKey(devSigningKeyFile({ ...process.env, INFRA_DIR }));
const credentials = kafkaCredentials();

process.stdout.write('\n▶ kafka topics and ACLs\n');
const { brokers, sasl } = kafkaClientOptions('admin');
// KAFKA_TLS=true: the broker speaks SASL_SSL with its self-signed certificate; every client trusts it.
const caFile = kafkaTlsCaFile();
await provisionEnvironment(
  { brokers, credentials: sasl, tls: caFile ? { ca: kafkaTlsCa() } : false },
  { prefix: process.env.KAFKA_TOPIC_PREFIX ?? '', partitions: Number(process.env.KAFKA_PARTITIONS ?? 6) },
);

const COLORS = [36, 33, 35, 32, 34];
let handles = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\n▶ stopping the services...\n');
  await stopServices(handles);
  if (startedInfra.length > 0) await down(startedInfra);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

process.stdout.write('\n▶ services\n');
try {
  handles = await launchServices(
    SERVICE_NAMES.map((service, i) => ({
      service,
      output: process.stdout,
      color: COLORS[i % COLORS.length],
      ownProcessGroup: true,
      healthTimeoutMs: 120_000,
      env: {
        SOFTPHONE_MODE: 'development',
        HOST: '127.0.0.1',
        DATABASE_URL: SERVICES[service].database ? databaseUrl(SERVICES[service].database) : undefined,
        REDIS_URL: redisUrl(),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_USERNAME: service,
        KAFKA_PASSWORD: credentials[service],
        KAFKA_SSL: caFile ? 'true' : undefined,
        KAFKA_SSL_CA_FILE: caFile ?? undefined,
        SMTP_URL: smtpUrl(),
        JWT_PUBLIC_KEYS: JSON.stringify(publicKeySet(signingKey)),
        SOFTPHONE_SECRET: service === 'agent-svc' ? devSecret('softphone-secret') : undefined,
        METRICS_TOKEN: devSecret('metrics-token'),
        INSTANCE_ID: `${hostname()}-${SERVICES[service].port}`,
      },
    })),
  );
} catch (error) {
  process.stderr.write(`✖ ${error.message}\n`);
  await stopAll(1);
}
for (const h of handles) {
  void h.exited.then(({ code, signal }) => {
    if (!stopping) {
      process.stderr.write(`✖ ${h.instance} stopped unexpectedly (${signal ?? code}); stopping everything\n`);
      void stopAll(1);
    }
  });
}

const rows = handles.map((h) => `  ${h.service.padEnd(12)} ${h.url}   docs: ${h.url}/docs`);
const token = printToken
  ? [
      'A system-admin token (1 h):',
      `  ${await signToken({ role: 'system-admin', tenantId: 'system', subject: 'admin' }, signingKey, 3600)}`,
    ]
  : ['Tokens: npm run token -- --role system-admin [--ttl 3600] (or npm start -- --token to print one here)'];
process.stdout.write(
  [
    '',
    '✔ the softphone backend is up (development mode)',
    ...rows,
    '  mail sink    http://127.0.0.1:1080 (SMTP 127.0.0.1:1025)',
    `  metrics      GET /metrics with Authorization: Bearer $(cat ${join(DEV_KEYS, 'metrics-token')})`,
    '',
    'In a browser (one origin for the pages, REST under /api/<tenant|agent|call|quality>/ and the live channel /live):',
    '  agent softphone  http://127.0.0.1:3000/softphone/   (sign in with an agent token)',
    '  ops dashboard    http://127.0.0.1:3000/dashboard/   (a tenant-admin, OU manager or system-admin token)',
    '',
    ...token,
    'Other roles: npm run token -- --role tenant-admin|agent|ou-manager|gateway --tenant <tenantId> --sub <id> [--ttl 3600]',
    'Play the guide end to end against it: npm run scenario',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
