import { describe, expect, it } from '@jest/globals';
import { tokenFor } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import { gateways, useAgentSvc } from './agent-svc-harness.js';

describe('agent-svc reacting to tenant-svc, the gateway and the admin', () => {
  const svc = useAgentSvc('agent-reactions');

  it('unregisters the phones of a suspended tenant, refuses sign-in until it is resumed, then registers the signed-in agents by itself', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const signedOut = await svc.agentIn(tenant);

    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.suspended', data: { tenantId: tenant.tenantId, reason: 'unpaid' } });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({
        registered: false,
        phones: [{ phoneId: 1, status: 'unregistered' }],
      }),
    );
    expect((await svc.http.post(`/agents/${signedOut.agentId}/sign-in`, {}, signedOut.token)).body).toMatchObject({
      status: 409,
      code: 'TENANT_SUSPENDED',
    });
    expect((await svc.http.post(`/agents/${agentId}/registration`, {}, token)).body).toMatchObject({
      status: 409,
      code: 'TENANT_SUSPENDED',
    });

    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.resumed', data: { tenantId: tenant.tenantId } });
    await eventually(async () =>
      expect((await svc.http.post(`/agents/${signedOut.agentId}/sign-in`, {}, signedOut.token)).status).toBe(200),
    );
    // Issue 10: "after a suspended tenant is resumed ... signed-in agents are registered automatically".
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body.phones).toEqual([{ phoneId: 1, status: 'registering' }]),
    );
    expect((await svc.http.get(`/agents/${agentId}/credentials`, token)).body).toHaveLength(1);
    expect((await svc.http.post(`/agents/${agentId}/registration`, {}, token)).body).toMatchObject({
      status: 409,
      code: 'SOFTPHONE_ALREADY_REGISTERED',
    });

    const published = await svc.publishedFor(agentId, 7);
    expect(published[5]).toMatchObject({ type: 'agent.softphones-unregistered', data: { reason: 'tenant-suspended' } });
    expect(published[6]).toMatchObject({ type: 'agent.softphone-registration-requested', data: { trigger: 'tenant-resumed' } });
  });

  it('shows a phone deregistered by the gateway after success as a failure with its reason, on the board too', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const registeredSince = (await svc.http.get(`/agents/${agentId}`, token)).body.since;
    const gateway = await tokenFor({ subject: 'gw1', role: 'gateway', tenantId: tenant.tenantId });

    const lost = await svc.http.post(
      `/agents/${agentId}/phones/1/registration-result`,
      { outcome: 'deregistered', reason: 'gateway restarted' },
      gateway,
    );
    // Guide: the failure indicator "is displayed if the WebRTC phone fails to be registered, or the WebRTC phone is
    // registered successfully and then deregistered": deregistered is a failure, not the unregistered of a sign-out.
    expect(lost.body).toMatchObject({
      signedIn: true,
      registered: false,
      phones: [{ phoneId: 1, status: 'deregistered' }],
      phonesDown: [{ phoneId: 1, status: 'deregistered', reason: 'gateway restarted' }],
    });
    expect(Date.parse(lost.body.since)).toBeGreaterThanOrEqual(Date.parse(registeredSince));
    const board = (await svc.http.get(`/tenants/${tenant.tenantId}/agents`, tenant.admin)).body;
    expect(board.find((a: { agentId: string }) => a.agentId === agentId)).toMatchObject({
      signedIn: true,
      registered: false,
      availability: 'idle',
      since: lost.body.since,
    });
    expect(
      (await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'deregistered' }, gateway)).body,
    ).toMatchObject({ status: 409, code: 'PHONE_NOT_REGISTERED' });

    // The phone registers again by hand, and a failure says why.
    expect((await svc.http.post(`/agents/${agentId}/registration`, {}, token)).status).toBe(200);
    const failed = await svc.http.post(
      `/agents/${agentId}/phones/1/registration-result`,
      { outcome: 'failed', reason: 'wrong password' },
      gateway,
    );
    expect(failed.body).toMatchObject({
      registered: false,
      phones: [{ phoneId: 1, status: 'failed' }],
      phonesDown: [{ phoneId: 1, status: 'failed', reason: 'wrong password' }],
    });
    const published = await svc.publishedFor(agentId, 8);
    expect(published.slice(5).map((e) => [e.type, e.data.reason])).toEqual([
      ['agent.softphone-deregistered', 'gateway restarted'],
      ['agent.softphone-registration-requested', undefined],
      ['agent.softphone-registration-failed', 'wrong password'],
    ]);
  });

  it('adds phone 2 on the second gateway when pool mode starts, and lets it go when pool mode ends', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);

    // tenant-svc needs two gateways before pool mode: the phone registers again on the changed gateways.
    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.webrtc-gateways-changed', data: { tenantId: tenant.tenantId, gateways } });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body.phones).toEqual([{ phoneId: 1, status: 'registering' }]),
    );
    await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token);

    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.pool-mode-changed', data: { tenantId: tenant.tenantId, poolMode: true } });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({
        registered: false,
        phones: [
          { phoneId: 1, status: 'registered' },
          { phoneId: 2, status: 'registering' },
        ],
      }),
    );
    expect((await svc.http.post(`/agents/${agentId}/phones/2/registration-result`, { outcome: 'registered' }, token)).body.registered).toBe(
      true,
    );

    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.pool-mode-changed', data: { tenantId: tenant.tenantId, poolMode: false } });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({
        registered: true,
        phones: [{ phoneId: 1, status: 'registered' }],
      }),
    );

    const published = await svc.publishedFor(agentId, 10);
    expect(published.slice(5)).toMatchObject([
      { type: 'agent.softphone-registration-requested', data: { trigger: 'gateways-changed', phones: [{ phoneId: 1, gatewayId: 'gw1' }] } },
      { type: 'agent.softphone-registered', data: { phoneId: 1 } },
      { type: 'agent.softphone-registration-requested', data: { trigger: 'gateways-changed', phones: [{ phoneId: 2, gatewayId: 'gw2' }] } },
      { type: 'agent.softphone-registered', data: { phoneId: 2 } },
      { type: 'agent.softphone-deregistered', data: { phoneId: 2 } },
    ]);
  });

  it('unregisters the phones of an agent the admin binds to a mobile phone or leaves without a voice queue', async () => {
    const tenant = await svc.webRtcTenant(false);
    const mobile = await svc.registeredAgentIn(tenant);
    const bound = await svc.http.put(`/agents/${mobile.agentId}/bound-phone`, { kind: 'mobile', number: '13800000000' }, tenant.admin);
    expect(bound.body).toMatchObject({
      signedIn: true,
      registered: false,
      boundPhone: { kind: 'mobile' },
      phones: [{ phoneId: 1, status: 'unregistered' }],
    });
    expect((await svc.http.post(`/agents/${mobile.agentId}/registration`, {}, mobile.token)).body).toMatchObject({
      status: 409,
      code: 'AGENT_BOUND_TO_PHONE',
    });
    expect((await svc.http.delete(`/agents/${mobile.agentId}/bound-phone`, tenant.admin)).body.boundPhone).toBeNull();
    expect((await svc.http.post(`/agents/${mobile.agentId}/registration`, {}, mobile.token)).body.credentials).toHaveLength(1);

    const chat = await svc.registeredAgentIn(tenant);
    const rebound = await svc.http.put(`/agents/${chat.agentId}/skill-queues`, { skillQueueIds: ['chat-q'] }, tenant.admin);
    expect(rebound.body).toMatchObject({ registered: false, skillQueueIds: ['chat-q'], phones: [{ phoneId: 1, status: 'unregistered' }] });
    const published = await svc.publishedFor(chat.agentId, 7);
    expect(published.slice(5)).toMatchObject([
      { type: 'agent.skill-queues-bound', data: { voiceRelatedSkillQueueIds: [] } },
      { type: 'agent.softphones-unregistered', data: { reason: 'no-longer-eligible' } },
    ]);
  });
});
