import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { collect, eventually } from '@softphone/testing';
import { clientOf } from './support.js';
import { availabilityByCall, readyAgent, talkAndHangUp } from './setup.js';

describe('fault: a service killed (SIGKILL) mid-flow and restarted', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start({ label: 'crash' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('agent-svc killed while calls end: no event lost or applied twice once it is back', async () => {
    const client = clientOf(system);
    const ready = await readyAgent(system, client);
    await system.stopInstance('agent-svc', 'SIGKILL');
    const calls = [await talkAndHangUp(client, ready), await talkAndHangUp(client, ready)];
    await system.startInstance('agent-svc');
    const restarted = clientOf(system);
    await eventually(async () => {
      const byCall = await availabilityByCall(restarted, ready);
      for (const callId of calls) expect(byCall[callId]).toEqual(['agent.became-occupied', 'agent.became-idle']);
    }, 60_000);
  });

  it('call-svc killed between an offer and its auto-answer: the restarted one answers once', async () => {
    const client = clientOf(system);
    const ready = await readyAgent(system, client, '4005');
    const { callId } = (await client.call.post('/calls/inbound', { caller: '5550100', dialed: ready.accessCode }, ready.gateway)).body;
    const offered = await eventually(async () => {
      const view = (await client.call.get(`/calls/${callId}`, ready.admin)).body;
      expect(view.status).toBe('offered');
      return view;
    });
    await system.stopInstance('call-svc', 'SIGKILL');
    await system.startInstance('call-svc');
    const restarted = clientOf(system);
    const answered = await eventually(async () => {
      const view = (await restarted.call.get(`/calls/${callId}`, ready.admin)).body;
      expect(view).toMatchObject({ status: 'talking', answeredBy: 'auto-answer' });
      return view;
    }, 60_000);
    expect(Date.parse(answered.connectedAt)).toBeGreaterThanOrEqual(Date.parse(offered.autoAnswerDueAt));
    // The agent's softphone confirms media, as the softphone page does once the call is answered.
    expect((await restarted.call.post(`/calls/${callId}/media-confirmed`, {}, ready.agent)).status).toBe(200);
    const events = await collect(`${system.topicPrefix}softphone.call.events`, (all) =>
      all.some((m) => m.key === `call-${callId}` && m.value.includes('"call.connected"')),
    );
    expect(events.filter((m) => m.key === `call-${callId}` && JSON.parse(m.value).type === 'call.connected')).toHaveLength(1);
    // And agent-svc turned it into exactly one "occupied".
    await eventually(async () => expect((await availabilityByCall(restarted, ready))[callId]).toEqual(['agent.became-occupied']), 60_000);
  });
});
