import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { withCorrelation } from '@softphone/correlation';
import { testEnv } from '@softphone/testing';
import { loadConfig } from './config.js';
import { ServiceLogger } from './logger.js';

const defaults = { serviceName: 'call-svc', port: 3003, database: 'softphone_call' };

describe('ServiceLogger', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    const capture = (into: string[]) => (chunk: unknown) => into.push(String(chunk)) > 0;
    jest.spyOn(process.stdout, 'write').mockImplementation(capture(out));
    jest.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const logger = (env: Record<string, string>) =>
    new ServiceLogger(
      loadConfig(defaults, { INSTANCE_ID: 'i-1', SOFTPHONE_MODE: 'development', JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys, ...env }),
    );

  it('writes one readable line a record outside production: time, level, service, context, message, correlation id', () => {
    withCorrelation({ correlationId: 'c-42' }, () => logger({}).log('call c1 offered to agent a1', 'Router'));
    logger({}).warn('Kafka not ready, retrying in 500 ms', 'Messaging');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}call-svc \[Router\] call c1 offered to agent a1 corr=c-42\n$/);
    expect(out[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}call-svc \[Messaging\] Kafka not ready, retrying in 500 ms\n$/);
  });

  it("keeps an error's stack under its record, indented", () => {
    logger({}).error('relay failed', 'Error: boom\n    at relay (relay.ts:1:1)', 'Relay');
    expect(err[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR call-svc \[Relay\] relay failed\n$/);
    expect(err[1]).toBe('    Error: boom\n        at relay (relay.ts:1:1)\n');
  });

  it('writes JSON when asked (LOG_FORMAT=json) and in production (NODE_ENV=production)', () => {
    withCorrelation({ correlationId: 'c-7' }, () => logger({ LOG_FORMAT: 'json' }).log('hello', 'Probe'));
    logger({ NODE_ENV: 'production' }).log('again', 'Probe');
    expect(JSON.parse(out[0])).toMatchObject({
      level: 'log',
      message: 'hello',
      context: 'Probe',
      service: 'call-svc',
      instance: 'i-1',
      correlationId: 'c-7',
    });
    expect(JSON.parse(out[1])).toMatchObject({ message: 'again', service: 'call-svc' });
    logger({ NODE_ENV: 'production', LOG_FORMAT: 'text' }).log('as text', 'Probe');
    expect(out[2]).toMatch(/ INFO {2}call-svc \[Probe\] as text\n$/);
  });

  it("prints Nest's start-up inventory only at debug level", () => {
    logger({}).log('Mapped {/calls, POST} route', 'RouterExplorer');
    expect(out).toEqual([]);
    logger({ LOG_LEVEL: 'debug' }).log('Mapped {/calls, POST} route', 'RouterExplorer');
    expect(out[0]).toContain('DEBUG call-svc [RouterExplorer] Mapped {/calls, POST} route');
  });
});
