import { Counter } from 'prom-client';
import type { FailOpenRedis } from '../redis.module.js';
import { retryAfter, windowOf, type RateBucket } from './rate-limit.policy.js';

/** INCR and, for a new key, its expiry: one round trip, atomic. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const unavailable = new Counter({
  name: 'rate_limit_unavailable_total',
  help: 'Rate checks skipped because Redis did not answer (the limit fails open)',
});

/**
 * Counts hits per subject and window in Redis, so the limit holds across the
 * instances of a service. When Redis is down, fails or is slow the request is
 * let through (fail open: a Redis outage must not stop the API).
 */
export class RateCounter {
  constructor(
    private readonly redis: FailOpenRedis,
    /** Separates environments and services sharing a Redis (topic prefix + service name). */
    private readonly namespace: string,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; the Retry-After in seconds when over the limit, null otherwise (or when Redis is unavailable). */
  async hit(bucket: RateBucket, subject: string, limit: number): Promise<number | null> {
    const window = windowOf(this.now(), this.windowSeconds);
    const key = `ratelimit:${this.namespace}:${bucket}:${subject}:${window.index}`;
    const count = await this.redis.orElse<number | null>(null, async (client) =>
      Number(await client.eval(HIT, 1, key, String(this.windowSeconds * 1000))),
    );
    if (count === null) {
      unavailable.inc();
      return null;
    }
    return retryAfter(count, limit, window.endsInMs);
  }
}
