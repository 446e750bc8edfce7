import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.js';

const defaults = { serviceName: 'tenant-svc', port: 3001, database: 'softphone_tenant' };

describe('loadConfig', () => {
  it('works on a development machine with no variables set', () => {
    const config = loadConfig(defaults, {});
    expect(config).toMatchObject({
      port: 3001,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/softphone_tenant',
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaPartitions: 6,
      kafkaTopicPrefix: '',
    });
  });

  it('reads overrides', () => {
    const config = loadConfig(defaults, { PORT: '4000', KAFKA_BROKERS: 'k1:9092,k2:9092', KAFKA_PARTITIONS: '3' });
    expect(config).toMatchObject({ port: 4000, kafkaBrokers: ['k1:9092', 'k2:9092'], kafkaPartitions: 3 });
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig(defaults, { PORT: 'abc', DATABASE_URL: 'mysql://x/y', JWT_SECRET: 'short' })).toThrow(
      /invalid configuration of tenant-svc: PORT: .*DATABASE_URL: .*JWT_SECRET: /,
    );
  });

  it('validates SOFTPHONE_SECRET with the other secrets, with a development default', () => {
    expect(loadConfig(defaults, {}).softphoneSecret).toBe('dev-softphone-secret-change-me');
    expect(loadConfig(defaults, { SOFTPHONE_SECRET: 'a-long-enough-secret' }).softphoneSecret).toBe('a-long-enough-secret');
    expect(() => loadConfig(defaults, { SOFTPHONE_SECRET: '' })).toThrow(/SOFTPHONE_SECRET: /);
  });
});
