#!/usr/bin/env node
/**
 * npm start: the whole system on this machine. Installs dependencies if needed,
 * brings up the infrastructure, builds, starts the four services and the edge
 * (the one launcher, libs/service-catalog, with the ports of its table), prints
 * where they listen and a token to call them with; Ctrl-C stops everything it started.
 */
import { hostname } from 'node:os';
import { ensureDependencies, step } from './ensure-deps.mjs';

ensureDependencies();
const { up, down } = await import('./infra.mjs');
const { kafkaBrokers } = await import('#infra/kafka');
const { databaseUrl } = await import('#infra/postgres');
const { redisUrl } = await import('#infra/redis');
const { smtpUrl } = await import('#infra/smtp');

process.stdout.write('▶ infrastructure\n');
const startedInfra = await up();
step('build', 'npm', ['run', 'build', '--silent']);
const { launchServices, stopServices, SERVICES, SERVICE_NAMES } = await import('../dist/libs/service-catalog/src/index.js');

const jwtSecret = process.env.JWT_SECRET ?? 'dev-secret-change-me';
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
        DATABASE_URL: SERVICES[service].database ? databaseUrl(SERVICES[service].database) : undefined,
        REDIS_URL: redisUrl(),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        SMTP_URL: smtpUrl(),
        JWT_SECRET: jwtSecret,
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

const { signToken } = await import('../dist/libs/auth/src/tokens.js');
const token = await signToken({ role: 'system-admin', tenantId: 'system', subject: 'admin' }, jwtSecret);
const rows = handles.map((h) => `  ${h.service.padEnd(12)} ${h.url}   docs: ${h.url}/docs`);
process.stdout.write(
  [
    '',
    '✔ the softphone backend is up',
    ...rows,
    '  mail sink    http://127.0.0.1:1080 (SMTP 127.0.0.1:1025)',
    '',
    'In a browser (one origin for the pages, REST under /api/<tenant|agent|call|quality>/ and the live channel /live):',
    '  agent softphone  http://127.0.0.1:3000/softphone/   (sign in with an agent token)',
    '  ops dashboard    http://127.0.0.1:3000/dashboard/   (a tenant-admin, OU manager or system-admin token)',
    '',
    'A system-admin token (12 h):',
    `  ${token}`,
    'Other roles: npm run token -- --role tenant-admin|agent|ou-manager|gateway --tenant <tenantId> --sub <id>',
    'Play the guide end to end against it: npm run scenario',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
