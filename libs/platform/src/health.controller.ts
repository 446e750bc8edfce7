import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '@softphone/auth';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER, REDIS } from './tokens.js';

const HEALTH_CACHE_MS = 1_000;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  /** The last check, answered to every caller for a second: /health cannot be used to hammer the three servers. */
  private latest?: { at: number; result: Promise<HealthCheckResult> };

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
  ) {}

  /** 200 when PostgreSQL, Redis and Kafka all answer; 503 naming the one that does not. Cached for 1 s. */
  @Public()
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at >= HEALTH_CACHE_MS) {
      const result = this.runChecks();
      result.catch(() => undefined);
      this.latest = { at: now, result };
    }
    return this.latest.result;
  }

  private runChecks(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => void (await this.redis.ping()))
          .withTimeout(2_000),
      () =>
        this.indicators
          .check('kafka')
          .attempt(() => this.broker.ping())
          .withTimeout(3_000),
    ]);
  }
}
