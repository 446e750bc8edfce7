import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '@softphone/auth';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER, REDIS } from './tokens.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
  ) {}

  /** 200 when PostgreSQL, Redis and Kafka all answer; 503 naming the one that does not. */
  @Public()
  @Get()
  @HealthCheck()
  check() {
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
