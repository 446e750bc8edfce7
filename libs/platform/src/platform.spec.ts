import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { newSigningKey, signToken, type Principal } from '@softphone/auth';
import {
  collect,
  createTestDatabase,
  freePort,
  kafkaEnvOf,
  testEnv,
  testToken,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@softphone/testing';
import { createServiceApp } from './bootstrap.js';
import { loadConfig } from './config.js';
import { MessagingLifecycle } from './messaging.lifecycle.js';
import { FailOpenRedis } from './redis.module.js';
import { probeServiceModule } from '../test/probe-service.module.js';

describe('platform: auth, errors, health, metrics, docs, relay', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  const prefix = uniqueTopicPrefix('platform');

  const token = (p: Partial<Principal> = {}, ttl?: number) =>
    testToken({ subject: 'admin-1', role: 'tenant-admin', tenantId: 't1', ...p }, ttl);
  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const response = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...(init.headers as object) } });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: response.headers };
  };

  beforeAll(async () => {
    db = await createTestDatabase('platform');
    const config = loadConfig(
      { serviceName: 'probe-svc', port: 0, database: db.name },
      {
        DATABASE_URL: db.url,
        KAFKA_TOPIC_PREFIX: prefix,
        JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys,
        METRICS_TOKEN: testEnv.metricsToken,
        // The probe is no service of the ACL layout: it runs as the admin principal.
        ...(await kafkaEnvOf('admin')),
        KAFKA_PARTITIONS: '2',
        LOG_LEVEL: 'warn',
      },
    );
    app = await createServiceApp(probeServiceModule(config, { redis: true }), config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    await app.get(MessagingLifecycle).ready();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 401 without a token, with an expired one and with a forged one', async () => {
    expect((await call('/tenants/t1')).body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_MISSING' });
    expect((await call('/tenants/t1', { token: await token({}, -60) })).body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
    const forged = await signToken({ subject: 'x', role: 'system-admin', tenantId: 't1' }, newSigningKey());
    expect((await call('/tenants/t1', { token: forged })).body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    expect((await call('/tenants/t1', { token: 'garbage' })).status).toBe(401);
  });

  it('answers 403 to a role the route does not allow', async () => {
    const res = await call('/tenants/t1', { token: await token({ role: 'agent' }) });
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });
  });

  it("answers 404 for another tenant's resource, 200 for one's own, and lets a system admin see all", async () => {
    expect((await call('/tenants/t2', { token: await token() })).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await call('/tenants/t1', { token: await token() })).body).toEqual({ tenantId: 't1' });
    expect((await call('/tenants/t2', { token: await token({ role: 'system-admin', tenantId: 'system' }) })).status).toBe(200);
  });

  it('answers 400 naming the field and the reason, and writes nothing', async () => {
    const admin = await token({ role: 'system-admin' });
    const res = await call('/tenants/t9/gateways', {
      method: 'POST',
      token: admin,
      body: JSON.stringify({ gateways: [{ gatewayId: 'g1', address: 'x' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'gateways[0].address' });
    expect(res.body.message).toMatch(/gateways\[0\]\.address: /);
    expect(res.body.correlationId).toEqual(res.headers.get('x-correlation-id'));
    const bad = await call('/tenants/t9/gateways', { method: 'POST', token: admin, body: '{"gateways": [' });
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_JSON', field: 'body' });
    const rule = await call('/tenants/t9/gateways', {
      method: 'POST',
      token: admin,
      body: JSON.stringify({ gateways: [1, 2, 3, 4].map((n) => ({ gatewayId: `g${n}`, address: `gw${n}:443` })) }),
    });
    expect(rule.body).toMatchObject({ status: 422, code: 'TOO_MANY_GATEWAYS', field: 'gateways' });
    expect((await call('/nowhere', { token: admin })).body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('appends events and the relay publishes them to Kafka with the caller-independent envelope', async () => {
    const admin = await token({ role: 'system-admin' });
    const res = await call('/tenants/t5/gateways', {
      method: 'POST',
      token: admin,
      body: JSON.stringify({ gateways: [{ gatewayId: 'g1', address: 'gw1:443' }] }),
    });
    expect(res.status).toBe(201);
    const [message] = await collect(`${prefix}softphone.tenant.events`, (m) => m.length >= 1);
    expect(message.key).toBe('tenant-t5');
    expect(JSON.parse(message.value)).toMatchObject({ type: 'tenant.webrtc-gateways-changed', data: { tenantId: 't5' } });
  });

  it('serves health (database, Redis, Kafka) and OpenAPI without a token, metrics with the metrics token only', async () => {
    const health = await call('/health');
    expect(health.status).toBe(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } });
    expect((await call('/metrics')).body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect((await call('/metrics', { token: await token({ role: 'system-admin' }) })).status).toBe(404);
    const metrics = await call('/metrics', { token: testEnv.metricsToken });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('relay_events_published_total');
    const docs = await call('/docs/json');
    expect(Object.keys(docs.body.paths)).toContain('/tenants/{tenantId}/gateways');
    expect(docs.body.paths['/status'].get.security).toEqual([]);
    expect(docs.body.paths['/tenants/{tenantId}'].get).toMatchObject({
      summary: 'Read probe',
      description: 'Roles: system-admin, tenant-admin.',
      security: [{ bearer: [] }],
      responses: { '404': { $ref: '#/components/responses/NotFound' }, '403': { $ref: '#/components/responses/Forbidden' } },
    });
    expect(docs.body.paths['/tenants/{tenantId}/gateways'].post.requestBody.content['application/json'].example).toEqual({
      gateways: [{ gatewayId: 'example-1', address: 'example-1' }],
    });
    expect(docs.body.components.responses.Conflict.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect((await call('/status')).body).toEqual({ ok: true });
    const asyncApi = await call('/docs/asyncapi.json');
    expect(asyncApi.status).toBe(200);
    expect(asyncApi.body).toMatchObject({ asyncapi: '3.1.0', channels: { tenantEvents: { address: 'softphone.tenant.events' } } });
  });
});

describe('platform: opt-in modules and a Redis outage', () => {
  let db: TestDatabase;
  const apps: INestApplication[] = [];
  const start = async (options: { redis: boolean; redisUrl?: string }) => {
    const config = loadConfig(
      { serviceName: 'probe-svc', port: 0, database: db.name },
      {
        DATABASE_URL: db.url,
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('platform_modules'),
        REDIS_URL: options.redisUrl ?? testEnv.redisUrl,
        JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys,
        ...(await kafkaEnvOf('admin')),
        KAFKA_PARTITIONS: '1',
        LOG_LEVEL: 'error',
      },
    );
    const app = await createServiceApp(probeServiceModule(config, { redis: options.redis }), config);
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl() };
  };

  beforeAll(async () => {
    db = await createTestDatabase('platform_modules');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  it('checks only what the service wires: no Redis module, no Redis in /health', async () => {
    const { url } = await start({ redis: false });
    const response = await fetch(`${url}/health`);
    const body = (await response.json()) as { status: string; details: Record<string, unknown> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['database', 'kafka']);
  });

  it('Redis unreachable: /health stays 200 ("degraded", redis down) and Redis uses fail open at once', async () => {
    const { app, url } = await start({ redis: true, redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const response = await fetch(`${url}/health`);
    const body = (await response.json()) as { status: string; error: Record<string, unknown>; info: Record<string, unknown> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.error).toMatchObject({ redis: { status: 'down', critical: false } });
    expect(body.info).toMatchObject({ database: { status: 'up' }, kafka: { status: 'up' } });
    const redis = app.get(FailOpenRedis);
    const started = Date.now();
    expect(await redis.orElse('allowed', async (r) => String(await r.incr('probe')))).toBe('allowed');
    expect(Date.now() - started).toBeLessThan(100);
  });
});
