import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { newSigningKey, publicKeySet } from '@softphone/auth';
import { loadConfig } from './config.js';

const defaults = { serviceName: 'tenant-svc', port: 3001, database: 'softphone_tenant' };
const agentDefaults = { serviceName: 'agent-svc', port: 3002, database: 'softphone_agent', usesSoftphoneSecret: true };
const strong = () => randomBytes(32).toString('base64url');
const keys = JSON.stringify(publicKeySet(newSigningKey('k1')));

/** What production needs: public token keys, a Kafka principal, the softphone secret for agent-svc. */
const production = () => ({ JWT_PUBLIC_KEYS: keys, KAFKA_USERNAME: 'agent-svc', KAFKA_PASSWORD: strong(), SOFTPHONE_SECRET: strong() });
const refusal = (variable: string, why: RegExp | string) =>
  new RegExp(`invalid configuration of agent-svc: .*${variable}: ${typeof why === 'string' ? why : why.source}`);

describe('loadConfig', () => {
  it('works in development mode with only the token keys set, generating a softphone secret', () => {
    const config = loadConfig(agentDefaults, { SOFTPHONE_MODE: 'development', JWT_PUBLIC_KEYS: keys });
    expect(config).toMatchObject({
      mode: 'development',
      port: 3002,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/softphone_agent',
      kafkaBrokers: ['127.0.0.1:9094'],
      kafkaAuth: null,
      kafkaPartitions: 6,
      kafkaTopicPrefix: '',
      tokenPolicy: { maxLifetimeSeconds: 43_200, clockToleranceSeconds: 30 },
      metricsToken: null,
    });
    expect(config.softphoneSecret?.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig(defaults, { SOFTPHONE_MODE: 'development', JWT_PUBLIC_KEYS: keys }).softphoneSecret).toBeNull();
  });

  it('reads overrides, and runs in production with strong secrets', () => {
    const env = { ...production(), PORT: '4000', KAFKA_BROKERS: 'k1:9094,k2:9094', KAFKA_PARTITIONS: '3', JWT_MAX_TTL_SECONDS: '600' };
    const config = loadConfig(agentDefaults, env);
    expect(config).toMatchObject({
      mode: 'production',
      port: 4000,
      kafkaBrokers: ['k1:9094', 'k2:9094'],
      kafkaPartitions: 3,
      kafkaAuth: { mechanism: 'scram-sha-512', username: 'agent-svc', password: env.KAFKA_PASSWORD },
      softphoneSecret: env.SOFTPHONE_SECRET,
      tokenPolicy: { maxLifetimeSeconds: 600 },
    });
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig(defaults, { PORT: 'abc', DATABASE_URL: 'mysql://x/y', JWT_SECRET: 'short' })).toThrow(
      /invalid configuration of tenant-svc: PORT: .*DATABASE_URL: .*JWT_SECRET: is no longer read/,
    );
  });

  describe('refuses to start outside development mode', () => {
    it('without SOFTPHONE_SECRET', () => {
      const { SOFTPHONE_SECRET: _, ...env } = production();
      expect(() => loadConfig(agentDefaults, env)).toThrow(refusal('SOFTPHONE_SECRET', 'is missing'));
      expect(() => loadConfig(agentDefaults, { ...env, SOFTPHONE_SECRET: '' })).toThrow(refusal('SOFTPHONE_SECRET', 'is missing'));
    });

    it('with a SOFTPHONE_SECRET shorter than 32 bytes', () => {
      expect(() => loadConfig(agentDefaults, { ...production(), SOFTPHONE_SECRET: 'x7Rk2pQ9vL3mN8sT4wY6zA1bC5dE0f' })).toThrow(
        refusal('SOFTPHONE_SECRET', 'is shorter than 32 bytes'),
      );
    });

    it('with the known default SOFTPHONE_SECRET', () => {
      expect(() => loadConfig(agentDefaults, { ...production(), SOFTPHONE_SECRET: 'dev-softphone-secret-change-me' })).toThrow(
        refusal('SOFTPHONE_SECRET', 'is a known default'),
      );
      expect(() => loadConfig(agentDefaults, { ...production(), SOFTPHONE_SECRET: 'a'.repeat(64) })).toThrow(
        refusal('SOFTPHONE_SECRET', 'has too little variety'),
      );
    });

    it('without token keys, or with the old shared JWT_SECRET', () => {
      const { JWT_PUBLIC_KEYS: _, ...env } = production();
      expect(() => loadConfig(agentDefaults, env)).toThrow(refusal('JWT_PUBLIC_KEYS', 'is missing'));
      expect(() => loadConfig(agentDefaults, { ...production(), JWT_SECRET: 'dev-secret-change-me' })).toThrow(
        refusal('JWT_SECRET', 'is no longer read'),
      );
    });

    it('with token keys that could mint tokens (a private or a symmetric key) or are weak', () => {
      const signing = newSigningKey('k1');
      const privateJwk = { ...signing.privateKey.export({ format: 'jwk' }), kid: 'k1' };
      expect(() => loadConfig(agentDefaults, { ...production(), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [privateJwk] }) })).toThrow(
        refusal('JWT_PUBLIC_KEYS', /keys\[0\] holds private or symmetric key material \(d\)/),
      );
      const hmac = { kty: 'oct', k: strong(), kid: 'h1' };
      expect(() => loadConfig(agentDefaults, { ...production(), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [hmac] }) })).toThrow(
        refusal('JWT_PUBLIC_KEYS', /keys\[0\] holds private or symmetric key material \(k\)/),
      );
      const rsa1024 = { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 'r1' };
      expect(() => loadConfig(agentDefaults, { ...production(), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [rsa1024] }) })).toThrow(
        refusal('JWT_PUBLIC_KEYS', /keys\[0\]: an RSA key needs at least 2048 bits/),
      );
      const rsa2048 = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'r2' };
      expect(loadConfig(agentDefaults, { ...production(), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [rsa2048] }) }).mode).toBe('production');
      expect(() => loadConfig(agentDefaults, { ...production(), JWT_PUBLIC_KEYS: '{not json' })).toThrow(
        refusal('JWT_PUBLIC_KEYS', 'is not JSON'),
      );
    });

    it('without a Kafka principal, or with a short or default Kafka password', () => {
      const { KAFKA_USERNAME: _, ...env } = production();
      expect(() => loadConfig(agentDefaults, env)).toThrow(refusal('KAFKA_USERNAME', 'is missing'));
      expect(() => loadConfig(agentDefaults, { ...production(), KAFKA_PASSWORD: 'k7Rq2pZ9vL3mN8s' })).toThrow(
        refusal('KAFKA_PASSWORD', 'is shorter than 32 bytes'),
      );
      expect(() => loadConfig(agentDefaults, { ...production(), KAFKA_PASSWORD: 'admin-secret' })).toThrow(
        refusal('KAFKA_PASSWORD', 'is a known default'),
      );
    });

    it('with a short METRICS_TOKEN (none at all is fine: /metrics is then not served)', () => {
      expect(() => loadConfig(agentDefaults, { ...production(), METRICS_TOKEN: 'metrics' })).toThrow(
        refusal('METRICS_TOKEN', 'is shorter than 32 bytes'),
      );
      expect(loadConfig(agentDefaults, production()).metricsToken).toBeNull();
    });
  });
});
