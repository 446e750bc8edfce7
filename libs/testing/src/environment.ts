import { randomBytes } from 'node:crypto';
import { newSigningKey, publicKeySet, signToken, type Principal } from '@softphone/auth';

/** The test run's identity provider: a key of this test process; services under test get its public half. */
const signingKey = newSigningKey(`test-${randomBytes(4).toString('hex')}`);

/** Where the real servers of the test run are (npm test starts them first), and the secrets services under test get. */
export const testEnv = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9094').split(','),
  mailApiUrl: process.env.MAIL_API_URL ?? 'http://127.0.0.1:1080',
  smtpUrl: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  /** JWT_PUBLIC_KEYS of the services under test. */
  jwtPublicKeys: JSON.stringify(publicKeySet(signingKey)),
  /** SOFTPHONE_SECRET of the services under test: random, strong (tests run outside development mode, as production does). */
  softphoneSecret: randomBytes(32).toString('base64url'),
  /** METRICS_TOKEN of the services under test: GET /metrics needs it as a bearer token. */
  metricsToken: randomBytes(32).toString('base64url'),
};

/** A bearer token the services under test accept (1 h unless said otherwise): the one way tests mint tokens. */
export function testToken(principal: Principal, ttlSeconds = 3600): Promise<string> {
  return signToken(principal, signingKey, ttlSeconds);
}

/** The test identity provider's key, for tests that craft tokens by hand (hostile-caller tests). */
export const testSigningKey = signingKey;
