import { describe, expect, it } from '@jest/globals';
import { bucketOf, retryAfter, windowOf } from './rate-limit.policy.js';

describe('rate limit policy', () => {
  it('limits mutating requests only, gateways in a bucket of their own', () => {
    expect(bucketOf('GET', 'agent')).toBeNull();
    expect(bucketOf('HEAD', 'gateway')).toBeNull();
    expect(bucketOf('post', 'agent')).toBe('writes');
    expect(bucketOf('DELETE', 'tenant-admin')).toBe('writes');
    expect(bucketOf('PUT', 'gateway')).toBe('gateway-writes');
  });

  it('counts in fixed windows and answers the seconds left as Retry-After', () => {
    expect(windowOf(125_500, 60)).toEqual({ index: 2, endsInMs: 54_500 });
    expect(retryAfter(10, 10, 54_500)).toBeNull();
    expect(retryAfter(11, 10, 54_500)).toBe(55);
    expect(retryAfter(11, 10, 10)).toBe(1);
  });
});
