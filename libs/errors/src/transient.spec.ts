import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError, DomainError, UnavailableError, ValidationError } from './app-error.js';
import { isTransient } from './transient.js';

describe('isTransient', () => {
  it.each([
    ['serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['connection exception class 08', Object.assign(new Error('x'), { code: '08006' })],
    ['refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['pg pool termination', new Error('Connection terminated unexpectedly')],
    ['wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: { code: '40001' } })],
    ['kafkajs retriable', Object.assign(new Error('leader not available'), { retriable: true })],
    ['concurrency', new ConcurrencyError('stream moved')],
    ['unavailable', new UnavailableError('PostgreSQL')],
    ['Redis unreachable (ioredis)', new Error('Reached the max retries per request limit (which is 3). Refer to "maxRetriesPerRequest"')],
  ])('%s is transient', (_name, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a domain rule', new DomainError('AGENT_OCCUPIED', 'busy')],
    ['a validation error', new ValidationError('name', 'required')],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a type error', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('%s is not transient', (_name, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
