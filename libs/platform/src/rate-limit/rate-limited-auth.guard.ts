import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { AuthGuard, TOKEN_VERIFIER, type Principal, type TokenVerifier } from '@softphone/auth';
import { RateLimitedError, UnauthorizedError } from '@softphone/errors';
import type { ServiceConfig } from '../config.js';
import { REDIS, SERVICE_CONFIG } from '../tokens.js';
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
  private readonly counter: RateCounter;

  constructor(
    reflector: Reflector,
    @Inject(TOKEN_VERIFIER) verify: TokenVerifier,
    @Inject(REDIS) redis: Redis,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.auth = new AuthGuard(reflector, verify);
    this.counter = new RateCounter(redis, `${config.kafkaTopicPrefix}${config.serviceName}`, config.rateLimits.windowSeconds);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const limits = this.config.rateLimits;
    try {
      await this.auth.canActivate(context);
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
        const wait = await this.counter.hit('auth-failures', address, limits.authFailures);
        if (wait !== null) throw new RateLimitedError('too many failed authentications from this address', wait);
      }
      throw error;
    }
    const principal = request.principal;
    const bucket = principal ? bucketOf(request.method, principal.role) : null;
    if (principal && bucket) {
      const subject = `${principal.tenantId}:${principal.role}:${principal.subject}`;
      const wait = await this.counter.hit(bucket, subject, bucket === 'gateway-writes' ? limits.gatewayWrites : limits.writes);
      if (wait !== null) throw new RateLimitedError('too many requests from this principal', wait);
    }
    return true;
  }
}
