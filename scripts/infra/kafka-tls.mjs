// @ts-check
/** TLS of a broker's BROKER listener (KAFKA_TLS=true): a self-signed certificate made once with keytool, its PEM for clients. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerOf, fail } from './kafka-node.mjs';

/**
 * @typedef {import('./kafka-node.mjs').Broker} Broker
 * @typedef {import('./kafka-node.mjs').BrokerOverrides} BrokerOverrides
 */

/**
 * The broker's TLS material, made once with the JDK's keytool: a key and a
 * self-signed certificate for 127.0.0.1/localhost (broker.p12), the same
 * certificate as the trust store the broker checks itself against between
 * brokers (trust.p12) and as PEM for the clients (ca.pem).
 * @param {Broker} broker
 */
function ensureTlsMaterial(broker) {
  const files = tlsFiles(broker);
  if (existsSync(files.ca)) return files;
  mkdirSync(broker.tlsDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(files.password, `${password}\n`, { mode: 0o600 });
  /** @param {string[]} args */
  const keytool = (args) => {
    const result = spawnSync('keytool', args, { encoding: 'utf8' });
    if (result.status !== 0) throw fail(`keytool ${args[0]} failed (is a JDK on the PATH?):\n${result.stderr}${result.stdout}`);
  };
  const store = ['-storetype', 'PKCS12', '-storepass', password];
  keytool([
    '-genkeypair',
    '-alias',
    'broker',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '3650',
    '-dname',
    'CN=127.0.0.1',
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    '-keystore',
    files.keystore,
    '-keypass',
    password,
    ...store,
  ]);
  keytool(['-exportcert', '-rfc', '-alias', 'broker', '-keystore', files.keystore, '-file', files.ca, ...store]);
  keytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', files.ca, '-keystore', files.truststore, ...store]);
  return files;
}

/** @param {Broker} broker */
export const tlsFiles = (broker) => ({
  keystore: join(broker.tlsDir, 'broker.p12'),
  truststore: join(broker.tlsDir, 'trust.p12'),
  ca: join(broker.tlsDir, 'ca.pem'),
  password: join(broker.tlsDir, 'password'),
});

/**
 * The file of the CA a client of this broker trusts (PEM), or null when the broker speaks SASL_PLAINTEXT.
 * @param {BrokerOverrides} [overrides]
 */
export function kafkaTlsCaFile(overrides) {
  const broker = brokerOf(overrides);
  const { ca } = tlsFiles(broker);
  return broker.tls && existsSync(ca) ? ca : null;
}

/**
 * The CA a client of this broker trusts (PEM), or null when the broker speaks SASL_PLAINTEXT.
 * @param {BrokerOverrides} [overrides]
 */
export function kafkaTlsCa(overrides) {
  const file = kafkaTlsCaFile(overrides);
  return file ? readFileSync(file, 'utf8') : null;
}

/**
 * server.properties lines of the TLS listener (none without TLS).
 * @param {Broker} broker
 * @returns {Record<string, string>}
 */
export function tlsProperties(broker) {
  if (!broker.tls) return {};
  const files = ensureTlsMaterial(broker);
  const password = readFileSync(files.password, 'utf8').trim();
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': files.keystore,
    'ssl.keystore.password': password,
    'ssl.key.password': password,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': files.truststore,
    'ssl.truststore.password': password,
  };
}
