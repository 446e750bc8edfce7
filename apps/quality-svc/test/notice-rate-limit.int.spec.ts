import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { testEnv } from '@softphone/testing';
import { NoticeRateLimit } from '../src/manager-inbox/notice-rate-limit.js';
import { uniqueId } from './support.js';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

describe('the 60-minute claim in Redis (Lua)', () => {
  let redis: Redis;
  let limit: NoticeRateLimit;
  const tenantId = uniqueId('tenant');

  beforeAll(() => {
    redis = new Redis(testEnv.redisUrl);
    limit = new NoticeRateLimit(redis);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('grants one claim per 60 minutes of the given clock, per manager', async () => {
    const manager = uniqueId('mgr');
    expect(await limit.claim(tenantId, manager, 'm1', T0)).toBe(true);
    expect(await limit.claim(tenantId, manager, 'm2', after(59 * MINUTE + 59_999))).toBe(false);
    expect(await limit.claim(tenantId, uniqueId('mgr'), 'm3', after(MINUTE))).toBe(true);
    expect(await limit.claim(tenantId, manager, 'm4', after(60 * MINUTE))).toBe(true);
  });

  it('grants the same claim again to a retried unit of work', async () => {
    const manager = uniqueId('mgr');
    expect(await limit.claim(tenantId, manager, 'm1', T0)).toBe(true);
    expect(await limit.claim(tenantId, manager, 'm1', after(5_000))).toBe(true);
    expect(await limit.claim(tenantId, manager, 'm2', after(5_000))).toBe(false);
  });

  it('gives a released claim back, the limit still counting from the message before it', async () => {
    const manager = uniqueId('mgr');
    expect(await limit.claim(tenantId, manager, 'm1', T0)).toBe(true);
    expect(await limit.claim(tenantId, manager, 'm2', after(61 * MINUTE))).toBe(true);
    await limit.release(tenantId, manager, 'm2');
    expect(await limit.claim(tenantId, manager, 'm3', after(62 * MINUTE))).toBe(true);
    await limit.release(tenantId, manager, 'm3');
    await limit.release(tenantId, manager, 'm1');
    expect(await limit.claim(tenantId, manager, 'm4', after(30 * MINUTE))).toBe(true);
    await limit.release(tenantId, manager, 'not-the-holder');
    expect(await limit.claim(tenantId, manager, 'm5', after(31 * MINUTE))).toBe(false);
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const manager = uniqueId('mgr');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => limit.claim(tenantId, manager, `m${i}`, after(i))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
