import { testEnv } from './environment.js';
import { kafkaEnvOf } from './kafka.js';

/**
 * How a service under test (or under a benchmark) is secured, as in production:
 * no development mode, the test identity provider's public keys, a strong
 * softphone secret, a metrics token, and the service's own Kafka principal.
 */
export async function serviceSecurityEnv(service: string): Promise<Record<string, string>> {
  return {
    SOFTPHONE_MODE: 'production',
    JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys,
    SOFTPHONE_SECRET: testEnv.softphoneSecret,
    METRICS_TOKEN: testEnv.metricsToken,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    ...(await kafkaEnvOf(service)),
  };
}
