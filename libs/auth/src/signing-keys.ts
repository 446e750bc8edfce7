import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';
import type { SigningKey } from './tokens.js';

/** A new Ed25519 signing key (EdDSA) with a random key id. */
export function newSigningKey(kid = `ed25519-${randomBytes(6).toString('hex')}`): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { kid, alg: 'EdDSA', privateKey };
}

/** The public half of a signing key, as a JWK with its kid and alg. */
export function publicJwk(key: SigningKey): JWK {
  const jwk = createPublicKey(key.privateKey).export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

/** The key set services verify with (JWT_PUBLIC_KEYS): during a rollover, the old and the new key. */
export function publicKeySet(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map(publicJwk) };
}

/**
 * The development identity provider's key: read from `file` (a private JWK),
 * created there (mode 0600) the first time. Development and local tools only:
 * in production the identity provider keeps its private key to itself.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (existsSync(file)) {
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey & { kid: string; alg: SigningKey['alg'] };
    return { kid: jwk.kid, alg: jwk.alg, privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
  }
  const key = newSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg })}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** Where `npm start`, `npm run token` and `npm run scenario` keep the development signing key. */
export const devSigningKeyFile = (env = process.env) =>
  env.JWT_SIGNING_KEY_FILE ?? join(env.INFRA_DIR ?? '.infra', 'dev-keys', 'jwt-signing-key.json');
