import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { FailOpenRedis, SERVICE_CONFIG, type ServiceConfig } from '@softphone/platform';

/**
 * The softphones' heartbeats, in Redis (ephemeral and high-volume: only their
 * transitions become events). Per agent: its last heartbeat (a hash) and the
 * instant it goes stale (a sorted set, scanned by the sweepers of every
 * instance). A stale agent is claimed atomically by one sweeper, kept in a
 * "claimed" set until its transition is committed, so a crash in between
 * loses nothing: a claim older than CLAIM_RETRY_MS is swept again.
 *
 * Redis failing open (its outage stops nothing else): a heartbeat is then taken
 * without looking for a transition, and no softphone is found stale, so agents
 * stay routable; watching resumes with the next heartbeats once Redis is back.
 */
const BEAT = `
local previous = redis.call('ZSCORE', KEYS[1], ARGV[1])
local claimed = redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if previous == false or claimed == 1 then return 1 end
return 0`;

const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local retry = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[3], 'LIMIT', 0, ARGV[2])
local claimed = {}
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZADD', KEYS[3], ARGV[1], member)
  table.insert(claimed, member)
  table.insert(claimed, redis.call('HGET', KEYS[2], member) or '0')
end
for _, member in ipairs(retry) do
  redis.call('ZADD', KEYS[3], ARGV[1], member)
  table.insert(claimed, member)
  table.insert(claimed, redis.call('HGET', KEYS[2], member) or '0')
end
return claimed`;

const CLAIM_RETRY_MS = 10_000;
const BATCH = 200;

interface HeartbeatCommands {
  heartbeat(deadlines: string, beats: string, claimed: string, member: string, atMs: number, staleAtMs: number): Promise<number>;
  claimStale(deadlines: string, beats: string, claimed: string, nowMs: number, limit: number, retryBeforeMs: number): Promise<string[]>;
}

export interface StaleSoftphone {
  tenantId: string;
  agentId: string;
  lastHeartbeatAt: string;
}

type HeartbeatRedis = Redis & HeartbeatCommands;

@Injectable()
export class HeartbeatStore {
  private readonly keys: [deadlines: string, beats: string, claimed: string];

  constructor(
    private readonly redis: FailOpenRedis,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    redis.client.defineCommand('heartbeat', { numberOfKeys: 3, lua: BEAT });
    redis.client.defineCommand('claimStale', { numberOfKeys: 3, lua: CLAIM });
    const prefix = `${config.kafkaTopicPrefix}agent-svc:softphone-heartbeat`;
    this.keys = [`${prefix}:stale-at`, `${prefix}:last`, `${prefix}:claimed`];
  }

  /** Records a heartbeat; true when it is a transition (the first since the watch began, or one after staleness was claimed). */
  async beat(tenantId: string, agentId: string, atMs: number, staleAtMs: number): Promise<boolean> {
    return this.redis.orElse(
      false,
      async (r) => (await (r as HeartbeatRedis).heartbeat(...this.keys, member(tenantId, agentId), atMs, staleAtMs)) === 1,
    );
  }

  /** Claims the softphones gone stale by `nowMs` (and claims never confirmed), each for one sweeper. */
  async claimStale(nowMs: number): Promise<StaleSoftphone[]> {
    const flat = await this.redis.orElse([] as string[], (r) =>
      (r as HeartbeatRedis).claimStale(...this.keys, nowMs, BATCH, nowMs - CLAIM_RETRY_MS),
    );
    const stale: StaleSoftphone[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [tenantId, agentId] = flat[i].split('|');
      stale.push({ tenantId, agentId, lastHeartbeatAt: new Date(Number(flat[i + 1])).toISOString() });
    }
    return stale;
  }

  /** The transition of a claimed softphone is committed. */
  async settled(tenantId: string, agentId: string): Promise<void> {
    await this.redis.orElse(0, (r) => r.zrem(this.keys[2], member(tenantId, agentId)));
  }

  /** Watches a softphone again whose entry Redis lost (it restarted empty): stale at `staleAtMs` unless a heartbeat comes. */
  async watchIfMissing(tenantId: string, agentId: string, lastBeatMs: number, staleAtMs: number): Promise<void> {
    const entry = member(tenantId, agentId);
    await this.redis.orElse(null, (r) =>
      r.multi().zadd(this.keys[0], 'NX', staleAtMs, entry).hsetnx(this.keys[1], entry, String(lastBeatMs)).exec(),
    );
  }

  /** The agent signed out: its softphone is no longer watched. */
  async forget(tenantId: string, agentId: string): Promise<void> {
    const entry = member(tenantId, agentId);
    await this.redis.orElse(null, (r) => r.multi().zrem(this.keys[0], entry).zrem(this.keys[2], entry).hdel(this.keys[1], entry).exec());
  }
}

const member = (tenantId: string, agentId: string) => `${tenantId}|${agentId}`;
