#!/usr/bin/env node
/**
 * npm start: the whole system on this machine, in development mode. Installs
 * dependencies if needed, brings up the infrastructure, builds, provisions
 * Kafka's topics and ACLs, starts the four services on 127.0.0.1 and prints
 * where they listen; Ctrl-C stops everything it started.
 *
 * Development secrets are generated once into .infra/dev-keys/ (mode 0600):
 * the identity provider's signing key (services only get its public half), the
 * softphone secret and the metrics token. A token is printed only on request,
 * short-lived: `npm start -- --token` (1 h, system admin), or `npm run token`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, step } from './ensure-deps.mjs';

ensureDependencies();
const printToken = process.argv.includes('--token');
const { up, down } = await import('./infra.mjs');
const { INFRA_DIR } = await import('./infra/paths.mjs');
const { kafkaClientOptions } = await import('./infra/kafka.mjs');
const { startServices, stopServices } = await import('./system/services.mjs');

process.stdout.write('▶ infrastructure\n');
const startedInfra = await up();
step('build', 'npm', ['run', 'build', '--silent']);

const { devSigningKeyFile, loadOrCreateSigningKey, publicKeySet, signToken } = await import('../dist/libs/auth/src/index.js');
const { provisionEnvironment } = await import('../dist/libs/kafka-access/src/index.js');

const DEV_KEYS = join(INFRA_DIR, 'dev-keys');
/** A development secret kept across restarts (softphone passwords stay derivable by the gateways). */
function devSecret(name) {
  const file = join(DEV_KEYS, name);
  if (!existsSync(file)) {
    mkdirSync(DEV_KEYS, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
const signingKey = loadOrCreateSigningKey(devSigningKeyFile({ ...process.env, INFRA_DIR }));
const PARTITIONS = Number(process.env.KAFKA_PARTITIONS ?? 6);

process.stdout.write('\n▶ kafka topics and ACLs\n');
const { brokers, sasl } = kafkaClientOptions('admin');
await provisionEnvironment({ brokers, credentials: sasl }, { prefix: process.env.KAFKA_TOPIC_PREFIX ?? '', partitions: PARTITIONS });

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
  handles = await startServices({
    env: {
      SOFTPHONE_MODE: 'development',
      JWT_PUBLIC_KEYS: JSON.stringify(publicKeySet(signingKey)),
      SOFTPHONE_SECRET: devSecret('softphone-secret'),
      METRICS_TOKEN: devSecret('metrics-token'),
    },
  });
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

const rows = handles.map((h) => `  ${h.name.padEnd(12)} ${h.url}   docs: ${h.docsUrl}`);
const token = printToken
  ? [
      'A system-admin token (1 h):',
      `  ${await signToken({ role: 'system-admin', tenantId: 'system', subject: 'admin' }, signingKey, 3600)}`,
    ]
  : ['Tokens: npm run token -- --role system-admin (or npm start -- --token to print one here)'];
process.stdout.write(
  [
    '',
    '✔ the softphone backend is up (development mode)',
    ...rows,
    '  mail sink    http://127.0.0.1:1080 (SMTP 127.0.0.1:1025)',
    `  metrics      GET /metrics with Authorization: Bearer $(cat ${join(DEV_KEYS, 'metrics-token')})`,
    '',
    ...token,
    'Other roles: npm run token -- --role tenant-admin|agent|ou-manager|gateway --tenant <tenantId> --sub <id> [--ttl 3600]',
    'Play the guide end to end against it: npm run scenario',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
