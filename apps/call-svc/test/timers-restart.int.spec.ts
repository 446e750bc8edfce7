import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceProcess, type ServiceProcess } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { upstream } from './upstream.js';

/**
 * call-svc as separate processes (dist/, built by npm test), killed with SIGKILL
 * between an offer and its auto-answer, during the auto-answer guard and during a
 * wrap-up: another instance or the restarted one applies each timer once, late
 * but not lost, never twice.
 */
describe('call-svc: the durable timers survive a crash', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix('restart');
  const play = upstream(prefix, () => db.url);
  const running: ServiceProcess[] = [];
  const start = async (instanceId: string) => {
    const process = await startServiceProcess({ service: 'call-svc', database: db, topicPrefix: prefix, instanceId });
    running.push(process);
    return process;
  };

  beforeAll(async () => {
    db = await createTestDatabase('restart');
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    await db?.drop();
  });

  const connectedEvents = async (callId: string) =>
    (
      await collect(`${prefix}softphone.call.events`, (all) =>
        all.some((m) => m.key === `call-${callId}` && m.value.includes('"call.connected"')),
      )
    )
      .filter((m) => m.key === `call-${callId}`)
      .map((m) => JSON.parse(m.value))
      .filter((e) => e.type === 'call.connected');

  async function offeredCall(via: ServiceProcess, gateway: string, token: string) {
    const { callId } = (await via.http.post('/calls/inbound', { caller: '5550100', dialed: '4001' }, gateway)).body;
    return eventually(async () => {
      const view = (await via.http.get(`/calls/${callId}`, token)).body;
      expect(view.status).toBe('offered');
      return view;
    });
  }

  it('another instance answers once when the one that offered dies before the due time', async () => {
    const a = await start('a');
    const b = await start('b');
    const tenant = await play.tenant();
    await play.agent(tenant.tenantId);
    const call = await offeredCall(a, tenant.gateway, tenant.admin);
    await a.stop('SIGKILL');

    await eventually(async () => expect((await b.http.get(`/calls/${call.callId}`, tenant.admin)).body.status).toBe('talking'));
    const [connected, ...more] = await connectedEvents(call.callId);
    expect(more).toEqual([]);
    expect(Date.parse(connected.data.at)).toBeGreaterThanOrEqual(Date.parse(call.autoAnswerDueAt));
    await b.stop('SIGTERM');
  });

  it('the restarted process answers once a call offered before the crash', async () => {
    const a = await start('c');
    const tenant = await play.tenant();
    await play.agent(tenant.tenantId);
    const call = await offeredCall(a, tenant.gateway, tenant.admin);
    await a.stop('SIGKILL');

    const restarted = await start('c');
    await eventually(async () =>
      expect((await restarted.http.get(`/calls/${call.callId}`, tenant.admin)).body).toMatchObject({
        status: 'talking',
        answeredBy: 'auto-answer',
      }),
    );
    expect(await connectedEvents(call.callId)).toHaveLength(1);
  });

  /** The events published on one key, once `until` holds. */
  const published = async (key: string, until: (types: string[]) => boolean) =>
    (
      await collect(`${prefix}softphone.call.events`, (all) =>
        until(all.filter((m) => m.key === key).map((m) => (JSON.parse(m.value) as { type: string }).type)),
      )
    )
      .filter((m) => m.key === key)
      .map((m) => JSON.parse(m.value) as { type: string; data: Record<string, unknown> });

  it('the guard of a call auto-answered before the crash re-queues it once, and its agent is not responding once', async () => {
    const first = await start('guard');
    const tenant = await play.tenant();
    await play.callHandling(tenant.tenantId, { autoAnswerGuardSeconds: 3, ringTimeoutSeconds: 30, wrapUpSeconds: 0 });
    const silent = await play.agent(tenant.tenantId);
    const { callId } = (await first.http.post('/calls/inbound', { caller: '5550100', dialed: '4001' }, tenant.gateway)).body;
    await eventually(async () => expect((await first.http.get(`/calls/${callId}`, tenant.admin)).body.status).toBe('talking'));
    await first.stop('SIGKILL');

    const restarted = await start('guard');
    const back = await eventually(async () => {
      const view = (await restarted.http.get(`/calls/${callId}`, tenant.admin)).body;
      expect(view).toMatchObject({ status: 'queued', requeueReason: 'agent-not-responding' });
      return view;
    });
    expect(back.agentId).toBeNull();
    const next = await play.agent(tenant.tenantId);
    await eventually(async () =>
      expect((await restarted.http.get(`/calls/${callId}`, tenant.admin)).body).toMatchObject({ agentId: next.agentId, status: 'talking' }),
    );
    expect((await restarted.http.post(`/calls/${callId}/media-confirmed`, {}, next.token)).status).toBe(200);

    const call = await published(`call-${callId}`, (types) => types.includes('call.media-confirmed'));
    expect(call.filter((e) => e.type === 'call.requeued')).toHaveLength(1);
    expect(call.filter((e) => e.type === 'call.connected').map((e) => e.data.agentId)).toEqual([silent.agentId, next.agentId]);
    const line = await published(`agent-line-${silent.agentId}`, (types) => types.includes('call.agent-not-responding'));
    expect(line.map((e) => e.type)).toEqual(['call.agent-not-responding']);
    expect((await restarted.http.get(`/agents/${silent.agentId}/line`, silent.token)).body.status).toBe('not-responding');
    await restarted.stop('SIGTERM');
  });

  it('a wrap-up running at the crash ends once when its time is up, and the waiting call is offered once', async () => {
    const first = await start('wrap-up');
    const tenant = await play.tenant();
    await play.callHandling(tenant.tenantId, { autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 3 });
    const agent = await play.agent(tenant.tenantId);
    const placed = await eventually(async () => {
      const result = await first.http.post('/calls', { to: '5550199' }, agent.token);
      expect(result.status).toBe(201);
      return result.body;
    });
    await first.http.post(`/calls/${placed.callId}/answer`, {}, agent.token);
    await first.http.post(`/calls/${placed.callId}/customer-answered`, {}, tenant.gateway);
    await first.http.post(`/calls/${placed.callId}/hang-up`, {}, agent.token);
    const line = (await first.http.get(`/agents/${agent.agentId}/line`, agent.token)).body;
    expect(line.status).toBe('wrap-up');
    const waiting = (await first.http.post('/calls/inbound', { caller: '5550100', dialed: '4001' }, tenant.gateway)).body;
    expect(waiting.status).toBe('queued');
    await first.stop('SIGKILL');

    const restarted = await start('wrap-up');
    const offered = await eventually(async () => {
      const view = (await restarted.http.get(`/calls/${waiting.callId}`, tenant.admin)).body;
      expect(view.status).toMatch(/offered|talking/);
      return view;
    });
    expect(offered.agentId).toBe(agent.agentId);
    expect(Date.parse(offered.offeredAt)).toBeGreaterThanOrEqual(Date.parse(line.wrapUpUntil));
    const events = await published(`agent-line-${agent.agentId}`, (types) => types.includes('call.agent-wrap-up-ended'));
    expect(events.map((e) => [e.type, e.data.endedBy])).toEqual([
      ['call.agent-wrap-up-started', undefined],
      ['call.agent-wrap-up-ended', 'timer'],
    ]);
    const call = await published(`call-${waiting.callId}`, (types) => types.includes('call.offered'));
    expect(call.filter((e) => e.type === 'call.offered')).toHaveLength(1);
    await restarted.stop('SIGTERM');
  });
});
