import { describe, expect, it } from '@jest/globals';
import { afterFailure } from './consumer-retry.policy.js';

const limits = { maxAttempts: 3, maxTransientAttempts: 5 };
const failure = (over: Partial<Parameters<typeof afterFailure>[0]>) =>
  afterFailure({ transient: false, attempts: 1, transientAttempts: 0, chunkSize: 1, ...over }, limits);

describe('consumer retry policy', () => {
  it('retries a failing message maxAttempts times, then dead-letters it', () => {
    expect(failure({ attempts: 1 })).toBe('retry');
    expect(failure({ attempts: 2 })).toBe('retry');
    expect(failure({ attempts: 3 })).toBe('dead-letter');
  });

  it('retries a transient failure up to maxTransientAttempts, then dead-letters it unless the database is out', () => {
    expect(failure({ transient: true, attempts: 0, transientAttempts: 4 })).toBe('retry');
    expect(failure({ transient: true, attempts: 0, transientAttempts: 5 })).toBe('dead-letter-unless-outage');
  });

  it('splits a chunk rather than dead-letter several messages for one culprit', () => {
    expect(failure({ chunkSize: 10 })).toBe('split');
    expect(failure({ transient: true, attempts: 0, transientAttempts: 2, chunkSize: 10 })).toBe('retry');
    expect(failure({ transient: true, attempts: 0, transientAttempts: 5, chunkSize: 10 })).toBe('split');
  });
});
