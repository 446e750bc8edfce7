import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ServiceConfig } from './config.js';
import { HealthChecks } from './health/health-checks.js';
import { REDIS, SERVICE_CONFIG } from './tokens.js';

/**
 * Redis for what may fail open: a Redis outage must never stop a service, so
 * uses go through `orElse`, which gives the fallback at once when Redis is not
 * connected, and on an error or a slow answer (a rate limit lets the request
 * through, say). /health reports Redis without failing on it ("degraded").
 */
@Injectable()
export class FailOpenRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) readonly client: Redis,
    private readonly checks: HealthChecks,
  ) {
    // ioredis reconnects by itself; an unhandled 'error' event would print a stack per attempt.
    client.on('error', (error: Error) => this.fellBack(undefined, error.message));
  }

  /** True while connected (commands are then sent, not queued). */
  get connected(): boolean {
    return this.client.status === 'ready';
  }

  /** `op` on Redis, or `fallback` when Redis is down, fails or takes longer than `timeoutMs`. */
  async orElse<T>(fallback: T, op: (redis: Redis) => Promise<T>, timeoutMs = 250): Promise<T> {
    if (!this.connected) return this.fellBack(fallback, 'not connected');
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(this.client),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
      ]);
    } catch (error) {
      return this.fellBack(fallback, (error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  onModuleInit(): void {
    this.checks.register({
      name: 'redis',
      critical: false,
      timeoutMs: 2_000,
      probe: async () => {
        if (!this.connected) throw new Error(`not connected (${this.client.status})`);
        await this.client.ping();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // quit() lets pending commands finish; a client still trying to connect just stops trying.
    if (this.connected) await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  /** At most one warning a minute, not one per request. */
  private fellBack<T>(fallback: T, reason: string): T {
    if (Date.now() - this.lastWarning > 60_000) {
      this.lastWarning = Date.now();
      this.logger.warn(`Redis unavailable (${reason}): failing open`);
    }
    return fallback;
  }
}

/**
 * REDIS (an ioredis client on REDIS_URL, reconnecting by itself) and
 * FailOpenRedis. Only services that keep something in Redis import it.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [SERVICE_CONFIG],
      // Reconnects every 500 ms at most while Redis is away, so it is used again soon after it is back.
      useFactory: (config: ServiceConfig) =>
        new Redis(config.redisUrl, {
          maxRetriesPerRequest: 3,
          retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
          disconnectTimeout: 500,
        }),
    },
    FailOpenRedis,
  ],
  exports: [REDIS, FailOpenRedis],
})
export class RedisModule {}
