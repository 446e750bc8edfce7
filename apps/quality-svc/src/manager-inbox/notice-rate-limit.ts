import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '@softphone/platform';
import { NOTICE_INTERVAL_MS } from './manager-inbox.decider.js';

/**
 * Claims the right to send a manager's next internal message, atomically across
 * instances: granted when the manager's last claimed message is at least 60
 * minutes older than `now` (the service clock's time). The claim carries the
 * message id, so a unit of work that re-runs claims again with the same answer;
 * a release restores the previous claim, so a message finally not written gives
 * its slot back and the limit still counts from the last real one.
 */
const CLAIM = `
local current = redis.call('HMGET', KEYS[1], 'token', 'at')
if current[1] == ARGV[1] then return 1 end
if current[2] and tonumber(ARGV[2]) - tonumber(current[2]) < tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'at', ARGV[2], 'previousToken', current[1] or '', 'previousAt', current[2] or '')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

const RELEASE = `
local current = redis.call('HMGET', KEYS[1], 'token', 'previousToken', 'previousAt')
if current[1] ~= ARGV[1] then return 0 end
if not current[3] or current[3] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'token', current[2], 'at', current[3], 'previousToken', '', 'previousAt', '')
end
return 1`;

interface NoticeCommands {
  claimNotice(key: string, token: string, nowMs: number, intervalMs: number, ttlMs: number): Promise<number>;
  releaseNotice(key: string, token: string): Promise<number>;
}

@Injectable()
export class NoticeRateLimit {
  private readonly redis: Redis & NoticeCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('claimNotice', { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand('releaseNotice', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as Redis & NoticeCommands;
  }

  async claim(tenantId: string, managerId: string, messageId: string, now: Date): Promise<boolean> {
    // The key outlives the interval in real time: the event stream stays the guard should Redis forget it.
    return (
      (await this.redis.claimNotice(key(tenantId, managerId), messageId, now.getTime(), NOTICE_INTERVAL_MS, 2 * NOTICE_INTERVAL_MS)) === 1
    );
  }

  async release(tenantId: string, managerId: string, messageId: string): Promise<void> {
    await this.redis.releaseNotice(key(tenantId, managerId), messageId);
  }
}

const key = (tenantId: string, managerId: string) => `quality-svc:manager-notice:${tenantId}:${managerId}`;
