import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { tokenFor } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import { gateways, useAgentSvc } from './agent-svc-harness.js';

/** Facts agent-svc learns from tenant-svc late, in both orders against the user's request. */
describe('agent-svc: races with tenant-svc', () => {
  const svc = useAgentSvc('agent-races');

  it('registers an agent who signed in before "WebRTC enabled" arrived as soon as it arrives (and at sign-in the other way round)', async () => {
    // Issue 10: "An agent who signs in before agent-svc has seen "WebRTC enabled" is not registered automatically ...
    // registration happens as soon as the fact arrives".
    const tenant = await svc.webRtcTenant(false, [gateways[0]], false);
    const early = await svc.agentIn(tenant);
    const signIn = await svc.http.post(`/agents/${early.agentId}/sign-in`, {}, early.token);
    expect(signIn.body.credentials).toBeUndefined();
    await svc.tenantEvents(tenant.tenantId, {
      type: 'tenant.webrtc-enabled',
      data: { tenantId: tenant.tenantId, registrationServerType: 'webRTC', gateways: [gateways[0]] },
    });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${early.agentId}`, early.token)).body.phones).toEqual([{ phoneId: 1, status: 'registering' }]),
    );
    const credentials = (await svc.http.get(`/agents/${early.agentId}/credentials`, early.token)).body;
    expect(credentials).toMatchObject([{ phoneId: 1, gatewayId: 'gw1' }]);
    expect(credentials[0].password).toHaveLength(24);
    // The other order: WebRTC known first, sign-in registers at once.
    const late = await svc.agentIn(tenant);
    expect((await svc.http.post(`/agents/${late.agentId}/sign-in`, {}, late.token)).body.credentials).toHaveLength(1);
  });

  it('creates an agent in an org unit created a moment ago, in either order; another tenant’s org unit or none is 404', async () => {
    // Issue 10: "Creating an agent in another tenant's org unit, or in one that does not exist, is 404".
    const tenant = await svc.webRtcTenant(false);
    const body = (orgUnitId: string) => ({
      name: 'Ann',
      orgUnitId,
      workNumber: String(Math.floor(Math.random() * 1e9)),
      softphoneNumber: '88001',
    });
    // The request first, the org unit's event a moment later: the request waits for it.
    const pending = svc.http.post(`/tenants/${tenant.tenantId}/agents`, body('ou-late'), tenant.admin);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await svc.orgUnit(tenant.tenantId, 'ou-late');
    expect((await pending).status).toBe(201);
    // The org unit first.
    await svc.orgUnit(tenant.tenantId, 'ou-early');
    await eventually(async () =>
      expect((await svc.http.post(`/tenants/${tenant.tenantId}/agents`, body('ou-early'), tenant.admin)).status).toBe(201),
    );
    // None, or another tenant's.
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/agents`, body('ou-none'), tenant.admin)).body).toMatchObject({
      status: 404,
      code: 'ORG_UNIT_NOT_FOUND',
      field: 'orgUnitId',
    });
    const other = await svc.webRtcTenant(false);
    await svc.orgUnit(other.tenantId, 'ou-theirs');
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/agents`, body('ou-theirs'), tenant.admin)).body).toMatchObject({
      status: 404,
      code: 'ORG_UNIT_NOT_FOUND',
    });
  });

  it('binds a skill queue created a moment ago; one never announced is 422', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId } = await svc.agentIn(tenant);
    const pending = svc.http.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: ['voice-q', 'q-late'] }, tenant.admin);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await svc.tenantEvents(tenant.tenantId, {
      type: 'tenant.skill-queue-created',
      data: { skillQueueId: 'q-late', name: 'Late', mediaType: 'video', accessCode: '4003' },
    });
    expect((await pending).body.skillQueueIds).toEqual(['voice-q', 'q-late']);
    expect((await svc.http.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [randomUUID()] }, tenant.admin)).body).toMatchObject({
      status: 422,
      code: 'SKILL_QUEUE_NOT_FOUND',
      field: 'skillQueueIds',
    });
  });

  it('gives phone 2 the password of phone 1 when pool mode is switched on', async () => {
    // Issue 10: "The two phones of an agent share one password at every moment: after a retry, a gateway change, or pool mode being switched on."
    const tenant = await svc.webRtcTenant(false, gateways);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const before = (await svc.http.get(`/agents/${agentId}/credentials`, token)).body;
    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.pool-mode-changed', data: { tenantId: tenant.tenantId, poolMode: true } });
    await eventually(async () => expect((await svc.http.get(`/agents/${agentId}/credentials`, token)).body).toHaveLength(2));
    const after = (await svc.http.get(`/agents/${agentId}/credentials`, token)).body;
    expect(after.map((c: { phoneId: number; gatewayId: string }) => [c.phoneId, c.gatewayId])).toEqual([
      [1, 'gw1'],
      [2, 'gw2'],
    ]);
    expect(after.map((c: { password: string }) => c.password)).toEqual([before[0].password, before[0].password]);
    // After a gateway change both register again, with one new password.
    await svc.tenantEvents(tenant.tenantId, {
      type: 'tenant.webrtc-gateways-changed',
      data: { tenantId: tenant.tenantId, gateways: [...gateways].reverse() },
    });
    await eventually(async () => {
      const moved = (await svc.http.get(`/agents/${agentId}/credentials`, token)).body;
      expect(moved.map((c: { gatewayId: string }) => c.gatewayId)).toEqual(['gw2', 'gw1']);
      expect(new Set(moved.map((c: { password: string }) => c.password)).size).toBe(1);
      expect(moved[0].password).not.toBe(before[0].password);
    });
    const stranger = await tokenFor({ subject: 'someone', role: 'agent', tenantId: tenant.tenantId });
    expect((await svc.http.get(`/agents/${agentId}/credentials`, stranger)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
  });
});
