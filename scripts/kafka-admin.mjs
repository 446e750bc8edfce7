#!/usr/bin/env node
/**
 * Kafka principals and ACLs (run after `npm run build`; `npm run kafka -- <command>`):
 *
 *   provision                                     the events and seconds topics and every service principal's ACLs (idempotent)
 *   add-gateway --tenant <id> --principal <name>  bind a gateway principal to a tenant: the tenant's samples topic, writable by it only
 *   remove-gateway --tenant <id> --principal <name>
 *
 * The admin connection: KAFKA_BROKERS, KAFKA_ADMIN_USERNAME, KAFKA_ADMIN_PASSWORD
 * (KAFKA_SASL_MECHANISM, KAFKA_SSL=true, KAFKA_SSL_CA_FILE), or, when
 * KAFKA_ADMIN_PASSWORD is unset, the local development broker of
 * scripts/infra/kafka.mjs. On that development broker add-gateway also creates
 * the principal's SCRAM credentials (stored with the others, printed once);
 * elsewhere create them with Kafka's own tool first (docs/runbook.md).
 * KAFKA_TOPIC_PREFIX and KAFKA_PARTITIONS as for the services.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KAFKA_PRINCIPALS, kafkaClientOptions, kafkaCredentials, kafkaCredentialsFile, upsertScramUser } from '#infra/kafka';

const { provisionEnvironment, provisionGateway, revokeGateway } = await import('../dist/libs/kafka-access/src/index.js');

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { tenant: { type: 'string' }, principal: { type: 'string' } },
});
const [command] = positionals;
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const partitions = Number(process.env.KAFKA_PARTITIONS ?? 6);
const development = !process.env.KAFKA_ADMIN_PASSWORD;

function adminConnection() {
  if (development) {
    const { brokers, sasl } = kafkaClientOptions('admin');
    return { brokers, credentials: sasl };
  }
  const tls =
    process.env.KAFKA_SSL === 'true'
      ? { ca: process.env.KAFKA_SSL_CA_FILE ? readFileSync(process.env.KAFKA_SSL_CA_FILE, 'utf8') : null }
      : false;
  return {
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9094').split(','),
    credentials: {
      mechanism: process.env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512',
      username: process.env.KAFKA_ADMIN_USERNAME ?? 'admin',
      password: process.env.KAFKA_ADMIN_PASSWORD,
    },
    tls,
  };
}

function gatewayArgs() {
  if (!values.tenant || !values.principal) usage('--tenant and --principal are required');
  return { prefix, tenantId: values.tenant, principal: values.principal, partitions };
}

/** Development broker only: the principal's password, created (and its SCRAM credentials) when new. */
function developmentCredentials(principal) {
  const credentials = kafkaCredentials();
  if (credentials[principal]) return { password: credentials[principal], created: false };
  const password = randomBytes(32).toString('base64url');
  upsertScramUser(principal, password);
  writeFileSync(kafkaCredentialsFile(), `${JSON.stringify({ ...credentials, [principal]: password }, null, 2)}\n`, { mode: 0o600 });
  return { password, created: true };
}

function usage(problem) {
  process.stderr.write(
    `${problem}\nusage: npm run kafka -- provision | add-gateway --tenant <id> --principal <name> | remove-gateway --tenant <id> --principal <name>\n`,
  );
  process.exit(2);
}

const connection = adminConnection();
switch (command) {
  case 'provision':
    await provisionEnvironment(connection, { prefix, partitions });
    process.stdout.write(`provisioned ${prefix || '(no prefix)'}: events and seconds topics and the ACLs of the service principals\n`);
    break;
  case 'add-gateway': {
    const gateway = gatewayArgs();
    if (development && !KAFKA_PRINCIPALS.includes(gateway.principal)) {
      const { password, created } = developmentCredentials(gateway.principal);
      if (created) process.stdout.write(`created principal ${gateway.principal}, password (shown once): ${password}\n`);
    }
    await provisionGateway(connection, gateway);
    process.stdout.write(`${gateway.principal} may now write ${prefix}softphone.quality.samples.${gateway.tenantId} (and nothing else)\n`);
    break;
  }
  case 'remove-gateway': {
    const gateway = gatewayArgs();
    await revokeGateway(connection, gateway);
    process.stdout.write(`${gateway.principal} may no longer write tenant ${gateway.tenantId}'s samples\n`);
    break;
  }
  default:
    usage(command ? `unknown command ${command}` : 'a command is needed');
}
process.exit(0);
