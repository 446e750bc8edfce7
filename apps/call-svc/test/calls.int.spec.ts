import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@softphone/event-store';
import { CALL_SERVICE, callServiceModule } from '../src/call-service.js';
import { callDecider, callStream } from '../src/calls/call.decider.js';
import { requestDispatch } from '../src/routing/dispatch-requests.js';
import { upstream } from './upstream.js';

describe('call-svc: calls over REST, routing from agent events', () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('calls');
  const play = upstream(prefix, () => db.url);

  beforeAll(async () => {
    db = await createTestDatabase('calls');
    svc = await startTestService({ defaults: CALL_SERVICE, module: callServiceModule, database: db, topicPrefix: prefix });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  const inbound = (gateway: string, dialed = '4001') => svc.http.post('/calls/inbound', { caller: '5550100', dialed }, gateway);
  const callOf = (callId: string, token: string) => svc.http.get(`/calls/${callId}`, token).then((r) => r.body);
  /** The call once offered (it waits in its queue until call-svc has heard of the agent). */
  const offered = (callId: string, token: string) =>
    eventually(async () => {
      const view = await callOf(callId, token);
      expect(view.status).toBe('offered');
      return view;
    });

  it('outbound: the agent phone rings first, the agent answers, the customer answers; media changes; hang-up frees the agent', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId, { pool: true });
    const placed = await eventually(async () => {
      const result = await svc.http.post('/calls', { to: '5550199', media: 'voice' }, agent.token);
      expect(result.status).toBe(201);
      return result.body;
    });
    expect(placed).toMatchObject({
      direction: 'outbound',
      status: 'ringing-agent',
      agentId: agent.agentId,
      from: agent.number,
      to: '5550199',
    });
    expect([1, 2]).toContain(placed.phoneId);
    const gw = tenant.gateway;
    expect((await svc.http.post(`/calls/${placed.callId}/customer-answered`, {}, gw)).body).toMatchObject({
      status: 409,
      code: 'CALL_NOT_RINGING_CUSTOMER',
    });
    expect((await svc.http.post(`/calls/${placed.callId}/answer`, {}, agent.token)).body.status).toBe('ringing-customer');
    expect((await svc.http.post(`/calls/${placed.callId}/customer-answered`, {}, gw)).body).toMatchObject({
      status: 'talking',
      answeredBy: 'customer',
    });
    expect((await svc.http.post('/calls', { to: '5550198' }, agent.token)).body).toMatchObject({ status: 409, code: 'AGENT_OCCUPIED' });

    const media = (change: string, screenShare?: string) =>
      svc.http.post(`/calls/${placed.callId}/media`, { change, ...(screenShare ? { screenShare } : {}) }, agent.token);
    expect((await media('camera-off')).body).toMatchObject({ status: 409, code: 'NOT_A_VIDEO_CALL' });
    expect((await media('switched-to-video')).body.media).toEqual({ mode: 'video', muted: false, cameraOn: true, screenShare: null });
    expect((await media('screen-share-started', 'tab')).body.media.screenShare).toBe('tab');
    expect((await media('muted')).body.media.muted).toBe(true);
    expect((await media('screen-share-stopped')).body.media).toEqual({ mode: 'video', muted: true, cameraOn: true, screenShare: null });
    expect((await media('switched-to-voice')).body.media).toEqual({ mode: 'voice', muted: true, cameraOn: false, screenShare: null });
    expect((await media('zoomed')).body).toMatchObject({ status: 400, field: 'change' });

    await new Promise((resolve) => setTimeout(resolve, 300));
    const ended = await svc.http.post(`/calls/${placed.callId}/hang-up`, {}, agent.token);
    expect(ended.body).toMatchObject({ status: 'ended', endedBy: 'agent', endReason: 'hang-up' });
    // Talk time runs from the customer's answer, total time from the placement: both as the call's own instants say.
    const { connectedAt, startedAt, endedAt, talkSeconds, totalSeconds } = ended.body;
    expect(talkSeconds).toBeGreaterThanOrEqual(0.3);
    expect(Math.abs(talkSeconds - (Date.parse(endedAt) - Date.parse(connectedAt)) / 1000)).toBeLessThan(0.05);
    expect(Math.abs(totalSeconds - (Date.parse(endedAt) - Date.parse(startedAt)) / 1000)).toBeLessThan(0.05);
    expect(totalSeconds).toBeGreaterThan(talkSeconds);
    expect((await svc.http.post('/calls', { to: '5550198' }, agent.token)).status).toBe(201);

    const events = await collect(`${prefix}softphone.call.events`, (m) =>
      m.some((x) => x.key === `call-${placed.callId}` && x.value.includes('call.ended')),
    );
    expect(events.filter((m) => m.key === `call-${placed.callId}`).map((m) => JSON.parse(m.value).type)).toEqual([
      'call.placed',
      'call.agent-answered',
      'call.connected',
      'call.media-changed',
      'call.media-changed',
      'call.media-changed',
      'call.media-changed',
      'call.media-changed',
      'call.ended',
    ]);
  });

  it('an agent whose pool phone 2 is let go when pool mode ends still places calls on phone 1', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId, { pool: true });
    await eventually(async () => expect((await svc.http.post('/calls', { to: '5550199' }, agent.token)).status).toBe(201));
    const [first] = (await svc.http.get(`/tenants/${tenant.tenantId}/calls?status=ringing-agent`, tenant.admin)).body;
    await svc.http.post(`/calls/${first.callId}/hang-up`, {}, agent.token);
    await play.poolModeOff(tenant.tenantId, agent.agentId);
    const placed = await eventually(async () => {
      const result = await svc.http.post('/calls', { to: '5550199' }, agent.token);
      expect(result.status).toBe(201);
      return result.body;
    });
    expect(placed.phoneId).toBe(1);
  });

  it('outbound needs a signed-in agent with a registered phone', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId, { registered: false });
    await eventually(async () =>
      expect((await svc.http.post('/calls', { to: '5550199' }, agent.token)).body).toMatchObject({
        status: 409,
        code: 'AGENT_NOT_SIGNED_IN',
      }),
    );
    const stranger = await tokenFor({ subject: 'nobody', role: 'agent', tenantId: tenant.tenantId });
    expect((await svc.http.post('/calls', { to: '5550199' }, stranger)).body).toMatchObject({ status: 404, code: 'AGENT_NOT_FOUND' });
    expect((await svc.http.post('/calls', { to: 'x' }, agent.token)).body).toMatchObject({ status: 400, field: 'to' });
  });

  it('inbound: routed to an idle agent, offered, and auto-answered 2 seconds after the offer', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId);
    const call = await offered((await inbound(tenant.gateway)).body.callId, tenant.admin);
    expect(call).toMatchObject({ direction: 'inbound', agentId: agent.agentId, skillQueueId: 'q-voice', via: 'access-code' });
    expect(Date.parse(call.autoAnswerDueAt) - Date.parse(call.offeredAt)).toBe(2_000);
    const answered = await eventually(async () => {
      const view = await callOf(call.callId, agent.token);
      expect(view.status).toBe('talking');
      return view;
    });
    expect(answered.answeredBy).toBe('auto-answer');
    expect(Date.parse(answered.connectedAt)).toBeGreaterThanOrEqual(Date.parse(call.autoAnswerDueAt));
  });

  it('an IVR transfer is auto-answered 2 seconds after the announcement ends', async () => {
    const tenant = await play.tenant(1);
    await play.agent(tenant.tenantId);
    const call = await offered((await inbound(tenant.gateway, '4002')).body.callId, tenant.admin);
    expect(call.via).toBe('ivr');
    expect(Date.parse(call.autoAnswerDueAt) - Date.parse(call.startedAt)).toBeGreaterThanOrEqual(3_000);
    expect(Date.parse(call.autoAnswerDueAt) - Date.parse(call.offeredAt)).toBeGreaterThanOrEqual(2_000);
    await eventually(async () => expect((await callOf(call.callId, tenant.admin)).status).toBe('talking'));
  });

  it('waiting calls are served first come, first served; a caller who hangs up while waiting abandons; a call to an idle phone is disconnected', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId, { registered: false });
    // The agent is known (but not signed in): calls wait.
    await eventually(async () =>
      expect((await svc.http.post('/calls', { to: '5550199' }, agent.token)).body.code).toBe('AGENT_NOT_SIGNED_IN'),
    );
    const first = (await inbound(tenant.gateway)).body;
    const second = (await inbound(tenant.gateway)).body;
    const third = (await inbound(tenant.gateway)).body;
    expect([first.status, second.status, third.status]).toEqual(['queued', 'queued', 'queued']);
    expect((await svc.http.post(`/calls/${second.callId}/customer-hung-up`, {}, tenant.gateway)).body).toMatchObject({
      status: 'ended',
      endReason: 'abandoned',
      endedBy: 'customer',
    });

    const direct = await inbound(tenant.gateway, agent.number);
    expect(direct.body).toMatchObject({ status: 'ended', endReason: 'direct-call-to-agent-phone', endedBy: 'system' });

    await agent.register();
    await eventually(async () => expect((await callOf(first.callId, tenant.admin)).status).toMatch(/offered|talking/));
    expect((await callOf(third.callId, tenant.admin)).status).toBe('queued');
    await eventually(async () => expect((await callOf(first.callId, tenant.admin)).status).toBe('talking'));
    await svc.http.post(`/calls/${first.callId}/customer-hung-up`, {}, tenant.gateway);
    await eventually(async () => expect((await callOf(third.callId, tenant.admin)).status).toMatch(/offered|talking/));
    expect((await callOf(third.callId, tenant.admin)).agentId).toBe(agent.agentId);
  });

  it('never auto-answers a call hung up before its due time', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId);
    const call = await offered((await inbound(tenant.gateway)).body.callId, tenant.admin);
    await svc.http.post(`/calls/${call.callId}/customer-hung-up`, {}, tenant.gateway);
    // Past the due time, and the next call to the freed agent is answered: the timer of the first one is gone.
    const next = (await inbound(tenant.gateway)).body;
    expect(next).toMatchObject({ status: 'offered', agentId: agent.agentId });
    await eventually(async () => expect((await callOf(next.callId, tenant.admin)).status).toBe('talking'));
    const view = await callOf(call.callId, tenant.admin);
    expect(view).toMatchObject({ status: 'ended', connectedAt: null, endReason: 'hang-up' });
  });

  it('a customer call whose agent signs out while it is offered goes back to the head of its queue and to the next agent; an outbound call whose phone is lost while ringing ends', async () => {
    const tenant = await play.tenant(60);
    const agent = await play.agent(tenant.tenantId);
    // After a 60-second announcement: the sign-out is consumed long before the auto-answer is due.
    const call = await offered((await inbound(tenant.gateway, '4002')).body.callId, tenant.admin);
    const later = (await inbound(tenant.gateway)).body;
    expect(later.status).toBe('queued');
    await play.signOut(tenant.tenantId, agent.agentId);
    const back = await eventually(async () => {
      const view = await callOf(call.callId, tenant.admin);
      expect(view.status).toBe('queued');
      return view;
    });
    expect(back).toMatchObject({ agentId: null, requeueReason: 'agent-unavailable', connectedAt: null, endReason: null });
    const jobs = await svc.app
      .get(PostgresEventStore)
      .sql.rows('SELECT job_id FROM scheduled_jobs WHERE payload->>$1 = $2', ['callId', call.callId]);
    expect(jobs).toEqual([]);
    // The next eligible agent gets it, before the call that came after it.
    const next = await play.agent(tenant.tenantId);
    expect((await offered(call.callId, tenant.admin)).agentId).toBe(next.agentId);
    expect((await callOf(later.callId, tenant.admin)).status).toBe('queued');
    await svc.http.post(`/calls/${later.callId}/customer-hung-up`, {}, tenant.gateway);

    await agent.register();
    const placed = await eventually(async () => {
      const result = await svc.http.post('/calls', { to: '5550199' }, agent.token);
      expect(result.status).toBe(201);
      return result.body;
    });
    await play.phoneLost(tenant.tenantId, agent.agentId, 1);
    await eventually(async () => expect((await callOf(placed.callId, agent.token)).endReason).toBe('agent-unavailable'));
  });

  it('offers a call recorded by a process that died before waking the dispatcher of its queue (the durable dispatch request)', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId);
    await eventually(async () => expect((await svc.http.post('/calls', { to: '5550199' }, agent.token)).status).toBe(201));
    const [probe] = (await svc.http.get(`/tenants/${tenant.tenantId}/calls?status=ringing-agent`, tenant.admin)).body;
    await svc.http.post(`/calls/${probe.callId}/hang-up`, {}, agent.token);
    // What receive() commits before it wakes the dispatcher, and nothing more: the call, waiting, and its queue's request.
    const store = svc.app.get(PostgresEventStore);
    const callId = randomUUID();
    await store.transaction(async (uow) => {
      const route = { kind: 'queue' as const, skillQueueId: 'q-voice', voiceRelated: true };
      await uow.decide(
        callStream(callId),
        callDecider,
        { type: 'ReceiveCall', callId, caller: '5550100', dialed: '4001', media: 'voice', route, now: new Date().toISOString() },
        { tenantId: tenant.tenantId, correlationId: randomUUID(), causationId: null },
      );
      await requestDispatch(uow.sql, tenant.tenantId, 'q-voice');
    });
    expect((await callOf(callId, tenant.admin)).status).toBe('queued');
    // The sweep finds the request no dispatcher took.
    const offeredCall = await offered(callId, tenant.admin);
    expect(offeredCall.agentId).toBe(agent.agentId);
    expect(await store.sql.rows('SELECT 1 FROM dispatch_requests WHERE tenant_id = $1', [tenant.tenantId])).toEqual([]);
  });

  it('answers the error contract: unknown calls, other tenants, other agents', async () => {
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId);
    const call = await offered((await inbound(tenant.gateway)).body.callId, tenant.admin);
    const other = await tokenFor({ subject: 'someone', role: 'agent', tenantId: tenant.tenantId });
    expect((await svc.http.post(`/calls/${call.callId}/hang-up`, {}, other)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
    expect((await svc.http.get(`/calls/${call.callId}`, other)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
    const elsewhere = await tokenFor({ subject: agent.agentId, role: 'agent', tenantId: 'another-tenant' });
    expect((await svc.http.get(`/calls/${call.callId}`, elsewhere)).body).toMatchObject({ status: 404, code: 'CALL_NOT_FOUND' });
    // A command checks tenant, then agent, on the stream it loads: another tenant's call is not found, for its own agent too.
    expect((await svc.http.post(`/calls/${call.callId}/hang-up`, {}, elsewhere)).body).toMatchObject({
      status: 404,
      code: 'CALL_NOT_FOUND',
    });
    expect((await svc.http.post(`/calls/${call.callId}/answer`, {}, other)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
    expect((await callOf(call.callId, tenant.admin)).status).toBe('offered');
    expect((await svc.http.post('/calls/inbound', { caller: '5550100' }, tenant.gateway)).body).toMatchObject({
      status: 400,
      field: 'dialed',
    });
    expect((await svc.http.post('/calls/inbound', { caller: '5550100', dialed: '4001' }, agent.token)).body).toMatchObject({ status: 403 });
  });
});
