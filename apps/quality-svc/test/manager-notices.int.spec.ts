import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@softphone/platform';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { goPoor, lossReason, mailTo, poorCall, reactedTo, uniqueId, upstream } from './support.js';

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

  const poor = (svc: TestService, callId: string, agentId: string | null, ofTenant = tenantId) =>
    goPoor(svc, ofTenant, poorCall(callId, agentId, new Date(clock.now().getTime() - 2_000)));

  const inbox = async (token = managerToken) => (await a.http.get('/inbox/messages', token)).body as Array<Record<string, unknown>>;

  beforeAll(async () => {
    db = await createTestDatabase('notices');
    [a, b] = await Promise.all([start('quality-a'), start('quality-b')]);
    admin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId });
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
    // Each call's alert reaches both instances' stores (as a retried or duplicated alert would).
    await reactedTo(a, await Promise.all(callIds.flatMap((callId, i) => [poor(a, callId, agents[i]), poor(b, callId, agents[i])])));

    const messages = await inbox();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'alert',
      level: 'poor',
      orgUnitId: 'team',
      readAt: null,
      metrics: { lossRate: 0.04 },
      reasons: [lossReason],
    });
    expect(callIds).toContain(messages[0].callId);
    expect(messages[0].subject).toMatch(/WebRTC network quality is poor for agent Agent /);
    expect(messages[0].text).toContain('Why: packet loss 4.00 % on the audio the agent receives.');

    await eventually(async () => expect((await inbox())[0].mailedAt).not.toBeNull());
    const mail = await mailTo(manager.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe(messages[0].subject);
    expect(mail[0].text).toContain(String(messages[0].callId));
  });

  // Issue 9 changed this: after the hour, the message is the digest of the 7 alerts held in it, not the next alert.
  it('holds the limit for 60 minutes of the service clock, then sends the digest of what it held as the next message', async () => {
    clock.advance(59 * MINUTE + 59_000);
    await reactedTo(a, [await poor(b, await connectedCall(agents[0]), agents[0])]);
    expect(await inbox()).toHaveLength(1);

    clock.advance(1_000);
    await eventually(async () => expect(await inbox()).toHaveLength(2));
    const [digest] = await inbox();
    expect(digest).toMatchObject({ kind: 'digest', level: 'poor', callId: null, digest: { poorCalls: agents.length } });
    expect(digest.subject).toBe(`WebRTC network quality: ${agents.length} calls went poor in the last hour`);

    const next = await connectedCall(agents[1]);
    await reactedTo(a, [await poor(a, next, agents[1])]);
    expect(await inbox()).toHaveLength(2);
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

  /** Another tenant of the same test, whose manager heads its root unit. */
  async function otherTenant(notify: boolean) {
    const id = uniqueId('tenant');
    const plays = upstream(prefix, id);
    const boss = { managerId: uniqueId('mgr'), email: `mgr-${randomUUID()}@example.com` };
    await plays.parameters(notify);
    await plays.orgUnit('root', null, boss);
    const token = await tokenFor({ subject: boss.managerId, role: 'ou-manager', tenantId: id });
    return { id, plays, boss, token };
  }

  it('sends nothing when the tenant parameter is No', async () => {
    const quiet = await otherTenant(false);
    const agentId = uniqueId('agent');
    await quiet.plays.agent(agentId, 'root');
    const quietAdmin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId: quiet.id });
    await eventually(async () =>
      expect((await a.http.get(`/tenants/${quiet.id}/quality/dashboard?agentId=${agentId}`, quietAdmin)).status).toBe(200),
    );
    const callId = await connectedCall(agentId, quiet.id, quiet.plays);
    await reactedTo(a, [await poor(a, callId, agentId, quiet.id)]);
    expect(await inbox(quiet.token)).toEqual([]);
  });

  it('tells the manager once the agent of a call that went poor becomes known', async () => {
    const late = await otherTenant(true);
    const agentId = uniqueId('agent');
    const callId = uniqueId('call');
    await poor(a, callId, null, late.id);
    await late.plays.agent(agentId, 'root');
    await late.plays.connected(callId, agentId);
    await eventually(async () => expect((await inbox(late.token))[0]).toMatchObject({ callId, agentId, orgUnitId: 'root' }));
  });
});
