import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceProcess, type ServiceProcess } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { upstream } from './upstream.js';

/** call-svc as separate processes (dist/, built by npm test), killed with SIGKILL between an offer and its auto-answer. */
describe('call-svc: the auto-answer survives a crash', () => {
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
});
