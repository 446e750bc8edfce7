import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, freePort, kafkaEnvOf, testEnv, testToken, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { probeServiceModule } from '../../test/probe-service.module.js';
import { createServiceApp } from '../bootstrap.js';
import { loadConfig } from '../config.js';

const WINDOW_SECONDS = 3600;

describe('rate limits: per principal on mutating routes and per address on failed authentications, across instances', () => {
  let db: TestDatabase;
  const apps: INestApplication[] = [];
  const urls: string[] = [];
  const prefix = uniqueTopicPrefix('ratelimit');

  const start = async (env: Record<string, string> = {}) => {
    const config = loadConfig(
      { serviceName: 'probe-svc', port: 0, database: db.name },
      {
        DATABASE_URL: db.url,
        KAFKA_TOPIC_PREFIX: prefix,
        JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys,
        ...(await kafkaEnvOf('admin')),
        KAFKA_PARTITIONS: '1',
        LOG_LEVEL: 'error',
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        RATE_LIMIT_WRITES: '4',
        RATE_LIMIT_AUTH_FAILURES: '3',
        ...env,
      },
    );
    const app = await createServiceApp(probeServiceModule(config, { redis: true }), config);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    urls.push((await app.getUrl()).replace('[::1]', '127.0.0.1'));
    return urls.at(-1)!;
  };
  const post = (url: string, token: string) =>
    fetch(`${url}/tenants/t1/gateways`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"gateways": []}',
    });

  beforeAll(async () => {
    // Counting happens in fixed windows: never start within a few seconds of a window's end.
    const left = WINDOW_SECONDS * 1000 - (Date.now() % (WINDOW_SECONDS * 1000));
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    db = await createTestDatabase('ratelimit');
    await start();
    await start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  it("answers 429 with Retry-After to a principal over its writes, whichever instance it calls, and not to others' or to reads", async () => {
    const admin = await testToken({ subject: 'busy', role: 'system-admin', tenantId: 'system' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(urls[i % 2], admin)).status);
    expect(statuses).toEqual([400, 400, 400, 400]);
    const limited = await post(urls[0], admin);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter } });
    expect((await post(urls[1], admin)).status).toBe(429);
    const other = await testToken({ subject: 'calm', role: 'system-admin', tenantId: 'system' });
    expect((await post(urls[1], other)).status).toBe(400);
    const read = await fetch(`${urls[0]}/tenants/t1`, { headers: { authorization: `Bearer ${admin}` } });
    expect(read.status).toBe(200);
  });

  it('answers 429 with Retry-After to an address over its failed authentications, while a valid token still works', async () => {
    const bad = (url: string) => fetch(`${url}/tenants/t1`, { headers: { authorization: 'Bearer not-a-token' } });
    expect([(await bad(urls[0])).status, (await bad(urls[1])).status, (await bad(urls[0])).status]).toEqual([401, 401, 401]);
    const limited = await bad(urls[1]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const good = await testToken({ subject: 'reader', role: 'tenant-admin', tenantId: 't1' });
    expect((await fetch(`${urls[0]}/tenants/t1`, { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
  });

  it('fails open when Redis does not answer: requests go through, not 429 nor 500', async () => {
    const url = await start({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const admin = await testToken({ subject: 'no-redis', role: 'system-admin', tenantId: 'system' });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(url, admin)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}/tenants/t1`, { headers: { authorization: 'Bearer x' } })).status).toBe(401);
  });
});
