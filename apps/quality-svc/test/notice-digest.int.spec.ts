import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { PoorReason } from '@softphone/contracts';
import { ManualClock } from '@softphone/platform';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { HourDigests } from '../src/manager-messages/hour-digests.js';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { SmtpRelay } from './smtp-relay.js';
import { goPoor, mailTo, poorCall, reactedTo, uniqueId, upstream } from './support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Message = Record<string, unknown> & { messageId: string; kind: string; notifiedAt: string; mailedAt: string | null };

describe("quality-svc: the hour's digest, on two instances and across a restart, with the clock injected and SMTP down a while", () => {
  let db: TestDatabase;
  let relay: SmtpRelay;
  let a: TestService;
  let b: TestService;
  const prefix = uniqueTopicPrefix('digest');
  const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = new ManualClock(T0);
  const tenantId = uniqueId('tenant');
  const tenant = upstream(prefix, tenantId);
  const north = { managerId: uniqueId('mgr'), email: `north-${randomUUID()}@example.com` };
  const south = { managerId: uniqueId('mgr'), email: `south-${randomUUID()}@example.com` };
  const [n1, n2, s1] = [uniqueId('agent'), uniqueId('agent'), uniqueId('agent')];
  const tokens: Record<string, string> = {};

  const start = (instanceId: string) =>
    startTestService({
      defaults: QUALITY_SERVICE,
      module: (config) => qualityServiceModule(config, { clock }),
      database: db,
      topicPrefix: prefix,
      instanceId,
      env: { SMTP_URL: `smtp://127.0.0.1:${relay.port}` },
    });

  const at = (ms: number) => clock.set(new Date(T0.getTime() + ms));
  const poor = (svc: TestService, callId: string, agentId: string, reasons?: PoorReason[]) =>
    goPoor(svc, tenantId, poorCall(callId, agentId, new Date(clock.now().getTime() - 2_000), reasons));
  const messages = async (manager: { managerId: string }) =>
    (await a.http.get('/inbox/messages?limit=500', tokens[manager.managerId])).body as Message[];

  /** The one rule: never two messages of a manager within 60 minutes. */
  async function oneMessagePerHour(manager: { managerId: string }): Promise<void> {
    const times = (await messages(manager)).map((m) => Date.parse(m.notifiedAt)).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(HOUR);
  }

  beforeAll(async () => {
    db = await createTestDatabase('digest');
    relay = await SmtpRelay.onFreePort();
    [a, b] = await Promise.all([start('quality-a'), start('quality-b')]);
    for (const m of [north, south]) tokens[m.managerId] = await tokenFor({ subject: m.managerId, role: 'ou-manager', tenantId });
    await tenant.parameters(true);
    await tenant.orgUnit('north', null, north);
    await tenant.orgUnit('south', null, south);
    for (const [agentId, unit] of [
      [n1, 'north'],
      [n2, 'north'],
      [s1, 'south'],
    ]) {
      await tenant.agent(agentId, unit);
    }
    const admin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId });
    await eventually(async () => {
      for (const agentId of [n1, n2, s1]) {
        expect((await a.http.get(`/tenants/${tenantId}/quality/dashboard?agentId=${agentId}`, admin)).status).toBe(200);
      }
    });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await relay?.close();
    await db?.drop();
  });

  it('sends the first alert of each manager at once, and holds the next ones of the hour', async () => {
    at(0);
    await reactedTo(a, [await poor(a, 'c1', n1), await poor(b, 's1', s1)]);
    at(10 * MINUTE);
    await reactedTo(a, [
      await poor(b, 'c2', n1, [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.08 }]),
      await poor(a, 'c3', n2, [
        { reason: 'delay', kind: 'audio', side: 'remote-receive', value: 450 },
        { reason: 'jitter', kind: 'video', side: 'agent-receive', value: 70 },
      ]),
      await poor(a, 'c2', n1, [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.08 }]),
    ]);
    expect((await messages(north)).map((m) => [m.kind, m.callId])).toEqual([['alert', 'c1']]);
    expect((await messages(south)).map((m) => [m.kind, m.callId])).toEqual([['alert', 's1']]);
  });

  it("sends the hour's digest when the hour ends, from the timers kept in PostgreSQL across a restart of both instances", async () => {
    await Promise.all([a.close(), b.close()]);
    [a, b] = await Promise.all([start('quality-a2'), start('quality-b2')]);

    at(HOUR - 1_000);
    expect(await a.app.get(HourDigests).sendDue()).toBe(0);
    at(HOUR);
    await eventually(async () => expect(await messages(north)).toHaveLength(2));
    const [digest] = await messages(north);
    const agents = [n1, n2].sort();
    expect(digest).toMatchObject({
      kind: 'digest',
      level: 'poor',
      notifiedAt: new Date(T0.getTime() + HOUR).toISOString(),
      digest: {
        hourStart: T0.toISOString(),
        hourEnd: new Date(T0.getTime() + HOUR).toISOString(),
        poorCalls: 2,
        agents: agents.map((agentId) => ({ agentId, poorCalls: 1 })),
        worstReasons: [
          { reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.08, callId: 'c2', agentId: n1 },
          { reason: 'jitter', kind: 'video', side: 'agent-receive', value: 70, callId: 'c3', agentId: n2 },
          { reason: 'delay', kind: 'audio', side: 'remote-receive', value: 450, callId: 'c3', agentId: n2 },
        ],
      },
    });
    expect(digest.subject).toBe('WebRTC network quality: 2 calls went poor in the last hour');
    expect(digest.text).toContain(`Agents: Agent ${agents[0]} (${agents[0]}) 1 call, Agent ${agents[1]} (${agents[1]}) 1 call.`);
    expect(digest.text).toContain('one-way delay 450.0 ms on the audio the remote end receives (call c3');
    // Nothing was held for the south: no digest.
    expect(await messages(south)).toHaveLength(1);
  });

  it("makes the digest the message of the next hour: an alert in it is held, another manager's is sent", async () => {
    at(HOUR + MINUTE);
    await reactedTo(a, [await poor(b, 'c4', n1), await poor(a, 's2', s1)]);
    expect(await messages(north)).toHaveLength(2);
    expect((await messages(south)).map((m) => [m.kind, m.callId])).toEqual([
      ['alert', 's2'],
      ['alert', 's1'],
    ]);
    at(2 * HOUR - 1);
    expect(await b.app.get(HourDigests).sendDue()).toBe(0);
    at(2 * HOUR);
    await eventually(async () => expect(await messages(north)).toHaveLength(3));
    expect((await messages(north))[0]).toMatchObject({ kind: 'digest', digest: { poorCalls: 1, agents: [{ agentId: n1, poorCalls: 1 }] } });
    await oneMessagePerHour(north);
    await oneMessagePerHour(south);
  });

  it('mails every message once SMTP is back, once', async () => {
    expect(await mailTo(north.email)).toEqual([]);
    expect((await messages(north)).map((m) => m.mailedAt)).toEqual([null, null, null]);
    await relay.open();
    for (const manager of [north, south]) {
      await eventually(async () => expect((await messages(manager)).every((m) => m.mailedAt !== null)).toBe(true), 90_000);
    }
    for (const [manager, count] of [
      [north, 3],
      [south, 2],
    ] as const) {
      const mail = await mailTo(manager.email);
      expect(mail).toHaveLength(count);
      expect(mail.map((m) => m.headers['message-id']).sort()).toEqual(
        (await messages(manager)).map((m) => `<${m.messageId}@quality-svc>`).sort(),
      );
    }
  }, 150_000);
});
