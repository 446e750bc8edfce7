import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, TOKEN_VERIFIER, type Principal, type TokenVerifier } from '@softphone/auth';
import { RateLimitedError, UnauthorizedError } from '@softphone/errors';
import type { ServiceConfig } from '../config.js';
import { FailOpenRedis } from '../redis.module.js';
import { SERVICE_CONFIG } from '../tokens.js';
import { RateCounter } from './rate-counter.js';
import { bucketOf } from './rate-limit.policy.js';

interface GuardedRequest {
  method: string;
  ip?: string;
  socket?: { remoteAddress?: string };
  principal?: Principal;
}

/**
 * Every request: authentication and roles (AuthGuard), then the rates: a
 * client address failing to authenticate too often gets 429 instead of 401, a
 * principal sending too many mutating requests gets 429, both with Retry-After.
 */
@Injectable()
export class RateLimitedAuthGuard implements CanActivate {
  private readonly auth: AuthGuard;
  /** Null when the service has no Redis (RedisModule not imported): no rate limits then. */
  private readonly counter: RateCounter | null;

  constructor(
    reflector: Reflector,
    @Inject(TOKEN_VERIFIER) verify: TokenVerifier,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Optional() redis?: FailOpenRedis,
  ) {
    this.auth = new AuthGuard(reflector, verify);
    this.counter = redis
      ? new RateCounter(redis, `${config.kafkaTopicPrefix}${config.serviceName}`, config.rateLimits.windowSeconds)
      : null;
    if (!redis) new Logger('RateLimit').warn('no RedisModule: requests are not rate-limited');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const limits = this.config.rateLimits;
    try {
      await this.auth.canActivate(context);
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
        const wait = (await this.counter?.hit('auth-failures', address, limits.authFailures)) ?? null;
        if (wait !== null) throw new RateLimitedError('too many failed authentications from this address', wait);
      }
      throw error;
    }
    const principal = request.principal;
    const bucket = principal ? bucketOf(request.method, principal.role) : null;
    if (principal && bucket) {
      const subject = `${principal.tenantId}:${principal.role}:${principal.subject}`;
      const wait = (await this.counter?.hit(bucket, subject, bucket === 'gateway-writes' ? limits.gatewayWrites : limits.writes)) ?? null;
      if (wait !== null) throw new RateLimitedError('too many requests from this principal', wait);
    }
    return true;
  }
}
