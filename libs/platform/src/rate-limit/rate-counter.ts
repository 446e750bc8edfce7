import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { retryAfter, windowOf, type RateBucket } from './rate-limit.policy.js';

/** INCR and, for a new key, its expiry: one round trip, atomic. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const REDIS_TIMEOUT_MS = 250;

const unavailable = new Counter({
  name: 'rate_limit_unavailable_total',
  help: 'Rate checks skipped because Redis did not answer (the limit fails open)',
});

/**
 * Counts hits per subject and window in Redis, so the limit holds across the
 * instances of a service. When Redis does not answer within 250 ms the request
 * is let through (fail open: a Redis outage must not stop the API).
 */
export class RateCounter {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly redis: Redis,
    /** Separates environments and services sharing a Redis (topic prefix + service name). */
    private readonly namespace: string,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; the Retry-After in seconds when over the limit, null otherwise (or when Redis is unavailable). */
  async hit(bucket: RateBucket, subject: string, limit: number): Promise<number | null> {
    const window = windowOf(this.now(), this.windowSeconds);
    const key = `ratelimit:${this.namespace}:${bucket}:${subject}:${window.index}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      const count = await Promise.race([
        this.redis.eval(HIT, 1, key, String(this.windowSeconds * 1000)) as Promise<number>,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis timed out')), REDIS_TIMEOUT_MS))),
      ]);
      return retryAfter(Number(count), limit, window.endsInMs);
    } catch (error) {
      unavailable.inc();
      this.logger.warn(`rate limit not checked (${String((error as Error).message ?? error)}): request let through`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
