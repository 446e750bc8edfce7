import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newSigningKey } from '@softphone/auth';
import { serviceSecurityEnv } from '@softphone/testing';

const MAIN = fileURLToPath(new URL('../../../dist/apps/agent-svc/src/main.js', import.meta.url));

/** Starts agent-svc (the compiled process, as in production) with an environment; its exit code and output. */
function start(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [MAIN],
      { env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });
}

/** The service refuses to start, naming the variable and the reason. */
async function refuses(change: Record<string, string | undefined>, variable: string, reason: string) {
  const env = { ...(await serviceSecurityEnv('agent-svc')), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', ...change };
  const { code, output } = await start(env);
  expect(code).not.toBe(0);
  expect(output).toContain('invalid configuration of agent-svc');
  expect(output).toContain(`${variable}: ${reason}`);
}

const strong = () => randomBytes(32).toString('base64url');

describe('a service refuses to start outside development mode with a bad secret', () => {
  it.concurrent('without SOFTPHONE_SECRET', () => refuses({ SOFTPHONE_SECRET: undefined }, 'SOFTPHONE_SECRET', 'is missing'));
  it.concurrent('with an empty SOFTPHONE_SECRET', () => refuses({ SOFTPHONE_SECRET: '' }, 'SOFTPHONE_SECRET', 'is missing'));
  it.concurrent('with a SOFTPHONE_SECRET shorter than 32 bytes', () =>
    refuses({ SOFTPHONE_SECRET: strong().slice(0, 31) }, 'SOFTPHONE_SECRET', 'is shorter than 32 bytes'),
  );
  it.concurrent('with the old default SOFTPHONE_SECRET', () =>
    refuses({ SOFTPHONE_SECRET: 'dev-softphone-secret-change-me' }, 'SOFTPHONE_SECRET', 'is a known default'),
  );
  it.concurrent('without the token public keys', () => refuses({ JWT_PUBLIC_KEYS: undefined }, 'JWT_PUBLIC_KEYS', 'is missing'));
  it.concurrent('with a private key as token key (a service could mint tokens)', () => {
    const signing = newSigningKey('k1');
    const jwks = JSON.stringify({ keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: 'k1' }] });
    return refuses({ JWT_PUBLIC_KEYS: jwks }, 'JWT_PUBLIC_KEYS', 'keys[0] holds private or symmetric key material (d)');
  });
  it.concurrent('with a shared HS256 secret as token key', () =>
    refuses(
      { JWT_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty: 'oct', k: strong(), kid: 'h' }] }) },
      'JWT_PUBLIC_KEYS',
      'keys[0] holds private or symmetric key material (k)',
    ),
  );
  it.concurrent('with the old JWT_SECRET, even its default', () =>
    refuses({ JWT_SECRET: 'dev-secret-change-me' }, 'JWT_SECRET', 'is no longer read'),
  );
  it.concurrent('without a Kafka principal', () => refuses({ KAFKA_USERNAME: undefined }, 'KAFKA_USERNAME', 'is missing'));
  it.concurrent('with a Kafka password shorter than 32 bytes', () =>
    refuses({ KAFKA_PASSWORD: 'k7Rq2pZ9vL3mN8s' }, 'KAFKA_PASSWORD', 'is shorter than 32 bytes'),
  );
  it.concurrent('with a default Kafka password', () => refuses({ KAFKA_PASSWORD: 'admin-secret' }, 'KAFKA_PASSWORD', 'is a known default'));
  it.concurrent('with a METRICS_TOKEN shorter than 32 bytes', () =>
    refuses({ METRICS_TOKEN: 'scrape-me' }, 'METRICS_TOKEN', 'is shorter than 32 bytes'),
  );
});
