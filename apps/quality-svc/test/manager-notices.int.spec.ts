import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@softphone/platform';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { mailTo, poorLine, samplesFrom, uniqueId, upstream } from './support.js';

const MINUTE = 60_000;

describe('quality-svc: internal messages to OU managers, at most one per 60 minutes across two instances', () => {
  let db: TestDatabase;
  let a: TestService;
  let b: TestService;
  const prefix = uniqueTopicPrefix('notices');
  const clock = new ManualClock(new Date());
  const tenantId = uniqueId('tenant');
  const tenant = upstream(prefix, tenantId);
  const manager = { managerId: uniqueId('mgr'), email: `mgr-${randomUUID()}@example.com` };
  const agents = Array.from({ length: 8 }, () => uniqueId('agent'));
  let admin: string;
  let gateway: string;
  let managerToken: string;

  const start = (instanceId: string) =>
    startTestService({
      defaults: QUALITY_SERVICE,
      module: (config) => qualityServiceModule(config, { clock }),
      database: db,
      topicPrefix: prefix,
      instanceId,
    });

  /** Connects a call of the agent and waits until quality-svc knows the call's agent. */
  async function connectedCall(agentId: string, tokenTenant = tenantId, plays = tenant): Promise<string> {
    const callId = uniqueId('call');
    await plays.connected(callId, agentId);
    const token = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId: tokenTenant });
    await eventually(async () => expect((await a.http.get(`/calls/${callId}/quality`, token)).body.agentId).toBe(agentId));
    return callId;
  }

  const goPoor = (svc: TestService, callId: string, token = gateway) =>
    svc.http.post(
      `/calls/${callId}/quality/samples`,
      { samples: samplesFrom(new Date(clock.now().getTime() - 10_000), 3, poorLine) },
      token,
    );

  const inbox = async (token = managerToken) => (await a.http.get('/inbox/messages', token)).body as Array<Record<string, unknown>>;

  beforeAll(async () => {
    db = await createTestDatabase('notices');
    [a, b] = await Promise.all([start('quality-a'), start('quality-b')]);
    admin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId });
    gateway = await tokenFor({ subject: 'gw', role: 'gateway', tenantId });
    managerToken = await tokenFor({ subject: manager.managerId, role: 'ou-manager', tenantId });
    // The manager heads the root unit; the agents sit in a child unit without a manager of its own.
    await tenant.parameters(true);
    await tenant.orgUnit('root', null, manager);
    await tenant.orgUnit('team', 'root');
    for (const agentId of agents) await tenant.agent(agentId, 'team');
    await eventually(async () => {
      for (const agentId of [...agents]) {
        expect((await a.http.get(`/tenants/${tenantId}/quality/dashboard?agentId=${agentId}&orgUnitId=team`, admin)).status).toBe(200);
      }
    });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  it('sends one message (and one mail) to the manager of the nearest OU with one, however many calls go poor at once on two instances', async () => {
    const callIds = await Promise.all(agents.map((agentId) => connectedCall(agentId)));
    const results = await Promise.all(callIds.flatMap((callId) => [goPoor(a, callId), goPoor(b, callId)]));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.map((r) => r.body.level)).toEqual(results.map(() => 'poor'));

    const messages = await inbox();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ level: 'poor', orgUnitId: 'team', readAt: null, metrics: { lossRate: 0.04 } });
    expect(callIds).toContain(messages[0].callId);
    expect(messages[0].subject).toMatch(/WebRTC network quality is poor for agent Agent /);

    await eventually(async () => expect((await inbox())[0].mailedAt).not.toBeNull());
    const mail = await mailTo(manager.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe(messages[0].subject);
    expect(mail[0].text).toContain(String(messages[0].callId));
  });

  it('holds the limit for 60 minutes of the service clock, then sends the next one', async () => {
    clock.advance(59 * MINUTE + 59_000);
    expect((await goPoor(b, await connectedCall(agents[0]))).body.level).toBe('poor');
    expect(await inbox()).toHaveLength(1);

    clock.advance(1_000);
    const next = await connectedCall(agents[1]);
    expect((await goPoor(a, next)).body.level).toBe('poor');
    const messages = await inbox();
    expect(messages).toHaveLength(2);
    expect(messages[0].callId).toBe(next);
    await eventually(async () => expect((await inbox())[0].mailedAt).not.toBeNull());
    expect(await mailTo(manager.email)).toHaveLength(2);
  });

  it('lets the manager read a message and mark it read; nobody else sees it', async () => {
    const [latest] = await inbox();
    expect((await a.http.get(`/inbox/messages/${latest.messageId}`, managerToken)).body).toEqual(latest);
    const read = await b.http.post(`/inbox/messages/${latest.messageId}/read`, {}, managerToken);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await b.http.post(`/inbox/messages/${latest.messageId}/read`, {}, managerToken)).body.readAt).toBe(read.body.readAt);
    expect(
      (await a.http.get('/inbox/messages?unread=true', managerToken)).body.map((m: { messageId: string }) => m.messageId),
    ).not.toContain(latest.messageId);

    const otherManager = await tokenFor({ subject: uniqueId('mgr'), role: 'ou-manager', tenantId });
    expect((await a.http.get(`/inbox/messages/${latest.messageId}`, otherManager)).body).toMatchObject({
      status: 404,
      code: 'MESSAGE_NOT_FOUND',
    });
    expect((await a.http.post(`/inbox/messages/${latest.messageId}/read`, {}, otherManager)).body).toMatchObject({
      status: 404,
      code: 'MESSAGE_NOT_FOUND',
    });
    expect((await a.http.get('/inbox/messages', admin)).body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });
    expect((await a.http.get('/inbox/messages?limit=0', managerToken)).body).toMatchObject({ status: 400, field: 'limit' });
  });

  it('sends nothing when the tenant parameter is No', async () => {
    const quietTenant = uniqueId('tenant');
    const quiet = upstream(prefix, quietTenant);
    const quietManager = { managerId: uniqueId('mgr'), email: `mgr-${randomUUID()}@example.com` };
    const agentId = uniqueId('agent');
    await quiet.parameters(false);
    await quiet.orgUnit('root', null, quietManager);
    await quiet.agent(agentId, 'root');
    const quietAdmin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId: quietTenant });
    await eventually(async () =>
      expect((await a.http.get(`/tenants/${quietTenant}/quality/dashboard?agentId=${agentId}`, quietAdmin)).status).toBe(200),
    );
    const callId = await connectedCall(agentId, quietTenant, quiet);
    const quietGateway = await tokenFor({ subject: 'gw', role: 'gateway', tenantId: quietTenant });
    expect((await goPoor(a, callId, quietGateway)).body.level).toBe('poor');
    expect(await inbox(await tokenFor({ subject: quietManager.managerId, role: 'ou-manager', tenantId: quietTenant }))).toEqual([]);
  });

  it('tells the manager once the agent of a call that went poor becomes known', async () => {
    const agentId = uniqueId('agent');
    const callId = uniqueId('call');
    clock.advance(61 * MINUTE);
    expect((await goPoor(a, callId)).body.level).toBe('poor');
    expect(await inbox()).toHaveLength(2);
    await tenant.agent(agentId, 'team');
    await tenant.connected(callId, agentId);
    await eventually(async () => expect((await inbox())[0]).toMatchObject({ callId, agentId }));
  });
});
