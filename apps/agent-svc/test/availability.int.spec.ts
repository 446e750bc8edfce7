import { describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@softphone/contracts';
import { eventually } from '@softphone/testing';
import { useAgentSvc } from './agent-svc-harness.js';

/** Heartbeats every 0.5 s here: a softphone is stale after 1.5 s. */
describe('agent-svc: availability from call-svc, and softphone liveness', () => {
  const svc = useAgentSvc('agent-availability', { SOFTPHONE_HEARTBEAT_SECONDS: '0.5' });
  const now = () => new Date().toISOString();

  it('shows ringing from the moment a call is placed or offered, then occupied, wrap-up, not responding, idle', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const board = async () =>
      (await svc.http.get(`/tenants/${tenant.tenantId}/agents`, tenant.admin)).body.find((a: { agentId: string }) => a.agentId === agentId);
    const shows = (expected: Record<string, unknown>) => eventually(async () => expect(await board()).toMatchObject(expected));
    const call = (event: DomainEvent) => svc.callEvents(tenant.tenantId, event);

    // Issue 10: "The board and the agent's own view show a `ringing` (or `reserved`) availability the moment a call is placed or offered."
    await call({
      type: 'call.placed',
      data: { callId: 'c1', agentId, phoneId: 1, from: '88001', to: '5550100', media: 'voice', at: now() },
    });
    await shows({ availability: 'ringing', currentCallId: 'c1' });
    expect((await svc.http.get(`/agents/${agentId}`, token)).body.availability).toBe('ringing');
    await call({
      type: 'call.connected',
      data: { callId: 'c1', agentId, phoneId: 1, direction: 'outbound', answeredBy: 'customer', media: 'voice', at: now() },
    });
    await shows({ availability: 'occupied' });
    const until = new Date(Date.now() + 60_000).toISOString();
    await call({ type: 'call.agent-wrap-up-started', data: { agentId, callId: 'c1', until } });
    await call({
      type: 'call.ended',
      data: { callId: 'c1', agentId, direction: 'outbound', endedBy: 'agent', reason: 'hang-up', talkSeconds: 3, totalSeconds: 5 },
    });
    await shows({ availability: 'wrap-up', wrapUpUntil: until, currentCallId: null });
    await call({ type: 'call.agent-wrap-up-ended', data: { agentId, callId: 'c1', endedBy: 'agent' } });
    await shows({ availability: 'idle', wrapUpUntil: null });

    await call({
      type: 'call.offered',
      data: { callId: 'c2', agentId, phoneId: 1, skillQueueId: 'voice-q', autoAnswerDueAt: now(), at: now() },
    });
    await shows({ availability: 'ringing', currentCallId: 'c2' });
    await call({ type: 'call.agent-not-responding', data: { agentId, callId: 'c2', reason: 'auto-answer-unconfirmed' } });
    await call({
      type: 'call.requeued',
      data: { callId: 'c2', agentId, skillQueueId: 'voice-q', reason: 'agent-not-responding', at: now() },
    });
    await shows({
      availability: 'not-responding',
      notResponding: { callId: 'c2', reason: 'auto-answer-unconfirmed' },
      currentCallId: null,
    });
    await call({ type: 'call.agent-made-available', data: { agentId, by: 'admin' } });
    await shows({ availability: 'idle', notResponding: null });
  });

  it('watches the softphone from its first heartbeat: unreachable after three missed periods, back on the next heartbeat', async () => {
    // Issue 10: "an agent whose heartbeat is stale for 3 periods is not routable and shows `softphone-unreachable`,
    // and comes back by itself on the next heartbeat".
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const view = async () => (await svc.http.get(`/agents/${agentId}`, token)).body;
    const beat = await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token);
    expect(beat.body).toEqual({ heartbeatSeconds: 0.5, staleAfterSeconds: 1.5 });
    expect((await view()).softphone.lastHeartbeatAt).not.toBeNull();
    // Beating on time: reachable all along, and no event per heartbeat.
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token)).status).toBe(200);
      expect((await view()).availability).toBe('idle');
    }
    await eventually(async () => expect((await view()).availability).toBe('softphone-unreachable'));
    expect((await view()).softphone.reachable).toBe(false);
    await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token);
    expect(await view()).toMatchObject({ availability: 'idle', softphone: { reachable: true } });
    const published = await svc.publishedFor(agentId, 8);
    expect(published.slice(5).map((e) => e.type)).toEqual([
      'agent.softphone-reachable',
      'agent.softphone-unreachable',
      'agent.softphone-reachable',
    ]);
  });

  it('keeps watching across instances: another instance marks a softphone stale whose heartbeats went to one that stopped', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const other = await svc.anotherInstance('agent-svc-b');
    expect((await other.http.post(`/agents/${agentId}/heartbeat`, {}, token)).status).toBe(200);
    await other.close();
    await eventually(async () => expect((await svc.http.get(`/agents/${agentId}`, token)).body.availability).toBe('softphone-unreachable'));
  });

  it('stops watching at sign-out, and refuses the heartbeat of a signed-out agent', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token);
    expect((await svc.http.post(`/agents/${agentId}/sign-out`, {}, token)).body.agent).toMatchObject({
      signedIn: false,
      availability: 'idle',
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({ availability: 'idle', softphone: { reachable: true } });
    expect((await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token)).body).toMatchObject({
      status: 409,
      code: 'AGENT_NOT_SIGNED_IN',
    });
    expect((await svc.http.post(`/agents/${agentId}/heartbeat`, {}, token)).body).toMatchObject({
      status: 409,
      code: 'AGENT_NOT_SIGNED_IN',
    });
  });
});
