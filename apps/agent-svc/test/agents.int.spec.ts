import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { tokenFor } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import { useAgentSvc } from './agent-svc-harness.js';

describe('agent-svc over REST and Kafka', () => {
  const svc = useAgentSvc('agents');

  it('signs in with automatic registration of both pool phones, takes back the results, and signs both out', async () => {
    const tenant = await svc.webRtcTenant(true);
    const { agentId, token } = await svc.agentIn(tenant);
    const signIn = await svc.http.post(`/agents/${agentId}/sign-in`, {}, token);
    expect(signIn.status).toBe(200);
    expect(signIn.body.credentials.map((c: { phoneId: number; gatewayId: string }) => [c.phoneId, c.gatewayId])).toEqual([
      [1, 'gw1'],
      [2, 'gw2'],
    ]);
    expect(new Set(signIn.body.credentials.map((c: { password: string }) => c.password)).size).toBe(1);
    expect(signIn.body.agent.hasVoiceRelatedSkillQueue).toBe(true);
    expect(signIn.body.agent.phones).toEqual([
      { phoneId: 1, status: 'registering' },
      { phoneId: 2, status: 'registering' },
    ]);

    await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token);
    const failed = await svc.http.post(
      `/agents/${agentId}/phones/2/registration-result`,
      { outcome: 'failed', reason: 'gateway timeout' },
      token,
    );
    expect(failed.body).toMatchObject({
      registered: false,
      phones: [
        { phoneId: 1, status: 'registered' },
        { phoneId: 2, status: 'failed' },
      ],
    });

    // Unified authentication off: the failed phone is registered again on its own.
    const retry = await svc.http.post(`/agents/${agentId}/registration`, { phoneId: 2 }, token);
    expect(retry.body.credentials.map((c: { phoneId: number }) => c.phoneId)).toEqual([2]);
    // Guide: "In pool mode, there are two phones that share the same password": phone 2 registers again with phone 1's.
    expect(retry.body.credentials[0].password).toBe(signIn.body.credentials[0].password);
    expect((await svc.http.get(`/agents/${agentId}/credentials`, token)).body.map((c: { password: string }) => c.password)).toEqual([
      signIn.body.credentials[0].password,
      signIn.body.credentials[0].password,
    ]);
    const done = await svc.http.post(`/agents/${agentId}/phones/2/registration-result`, { outcome: 'registered' }, token);
    expect(done.body.registered).toBe(true);

    const out = await svc.http.post(`/agents/${agentId}/sign-out`, {}, token);
    expect(out.body.agent).toMatchObject({
      signedIn: false,
      registered: false,
      phones: [
        { phoneId: 1, status: 'unregistered' },
        { phoneId: 2, status: 'unregistered' },
      ],
    });

    const published = await svc.publishedFor(agentId, 10);
    expect(published.map((e) => e.type)).toEqual([
      'agent.created',
      'agent.skill-queues-bound',
      'agent.signed-in',
      'agent.softphone-registration-requested',
      'agent.softphone-registered',
      'agent.softphone-registration-failed',
      'agent.softphone-registration-requested',
      'agent.softphone-registered',
      'agent.softphones-unregistered',
      'agent.signed-out',
    ]);
    // The password is derived from the published registration (the gateways know the secret); it is never published itself.
    expect(signIn.body.credentials[0].registrationId).toBe(published[3].id);
    expect(JSON.stringify(published)).not.toContain(signIn.body.credentials[0].password);
  });

  it('refuses manual Register under unified authentication for a unified agent, allows it in UAP mode', async () => {
    const tenant = await svc.webRtcTenant(false);
    await svc.tenantEvents(tenant.tenantId, {
      type: 'tenant.parameters-changed',
      data: { tenantId: tenant.tenantId, notifyOuManagersOnPoorNetwork: false, softphoneUnifiedAuthentication: true },
    });
    const unified = await svc.agentIn(tenant);
    await svc.http.put(`/agents/${unified.agentId}/auth-mode`, { authMode: 'unified' }, tenant.admin);
    await svc.http.post(`/agents/${unified.agentId}/sign-in`, {}, unified.token);
    await svc.http.post(`/agents/${unified.agentId}/phones/1/registration-result`, { outcome: 'failed', reason: 'x' }, unified.token);
    await eventually(async () =>
      expect((await svc.http.post(`/agents/${unified.agentId}/registration`, {}, unified.token)).body).toMatchObject({
        status: 409,
        code: 'UNIFIED_AUTHENTICATION_NO_MANUAL_REGISTER',
      }),
    );
    await svc.http.put(`/agents/${unified.agentId}/auth-mode`, { authMode: 'uap' }, tenant.admin);
    expect((await svc.http.post(`/agents/${unified.agentId}/registration`, {}, unified.token)).status).toBe(200);
  });

  it('does not register agents who cannot use the WebRTC phone, and says why on Register', async () => {
    const tenant = await svc.webRtcTenant(false);
    const chat = await svc.agentIn(tenant, ['chat-q']);
    const signIn = await svc.http.post(`/agents/${chat.agentId}/sign-in`, {}, chat.token);
    expect(signIn.body.credentials).toBeUndefined();
    expect((await svc.http.post(`/agents/${chat.agentId}/registration`, {}, chat.token)).body).toMatchObject({
      status: 409,
      code: 'NO_VOICE_SKILL_QUEUE',
    });

    const bound = await svc.agentIn(tenant);
    await svc.http.put(`/agents/${bound.agentId}/bound-phone`, { kind: 'mobile', number: '13800000000' }, tenant.admin);
    await svc.http.post(`/agents/${bound.agentId}/sign-in`, {}, bound.token);
    expect((await svc.http.post(`/agents/${bound.agentId}/registration`, {}, bound.token)).body).toMatchObject({
      status: 409,
      code: 'AGENT_BOUND_TO_PHONE',
    });
  });

  it('unregisters phones when WebRTC is disabled, re-registers on new gateways, and follows calls for availability', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.agentIn(tenant);
    await svc.http.post(`/agents/${agentId}/sign-in`, {}, token);
    await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token);

    await svc.callEvents(tenant.tenantId, {
      type: 'call.connected',
      data: {
        callId: 'c1',
        agentId,
        phoneId: 1,
        direction: 'inbound',
        answeredBy: 'auto-answer',
        media: 'voice',
        at: new Date().toISOString(),
      },
    });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({ availability: 'occupied', currentCallId: 'c1' }),
    );
    const ended = {
      callId: 'c1',
      agentId,
      direction: 'inbound' as const,
      endedBy: 'customer' as const,
      reason: 'hang-up' as const,
      talkSeconds: 5,
      totalSeconds: 7,
    };
    await svc.callEvents(tenant.tenantId, { type: 'call.ended', data: ended }, { type: 'call.ended', data: ended });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({ availability: 'idle', currentCallId: null }),
    );

    const moved = [{ gatewayId: 'gw9', address: 'wss://gw9.example:8443' }];
    await svc.tenantEvents(tenant.tenantId, {
      type: 'tenant.webrtc-gateways-changed',
      data: { tenantId: tenant.tenantId, gateways: moved },
    });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body.phones).toEqual([{ phoneId: 1, status: 'registering' }]),
    );

    await svc.tenantEvents(tenant.tenantId, { type: 'tenant.webrtc-disabled', data: { tenantId: tenant.tenantId } });
    await eventually(async () =>
      expect((await svc.http.get(`/agents/${agentId}`, token)).body.phones).toEqual([{ phoneId: 1, status: 'unregistered' }]),
    );

    const history = await svc.http.get(`/agents/${agentId}/history`, token);
    const types = history.body.timeline.map((e: { event: string }) => e.event);
    expect(types).toEqual([
      'agent.created',
      'agent.skill-queues-bound',
      'agent.signed-in',
      'agent.softphone-registration-requested',
      'agent.softphone-registered',
      'agent.became-occupied',
      'agent.became-idle',
      'agent.softphone-registration-requested',
      'agent.softphones-unregistered',
    ]);
    const whileTalking = history.body.timeline[5].at;
    const asOf = await svc.http.get(`/agents/${agentId}/history?at=${encodeURIComponent(whileTalking)}`, token);
    expect(asOf.body.state).toMatchObject({
      signedIn: true,
      availability: 'occupied',
      currentCallId: 'c1',
      phones: { 1: 'registered' },
      skillQueueIds: ['voice-q'],
    });
    const justBeforeSignIn = new Date(Date.parse(history.body.timeline[2].at) - 1).toISOString();
    const beforeSignIn = await svc.http.get(`/agents/${agentId}/history?at=${encodeURIComponent(justBeforeSignIn)}`, token);
    expect(beforeSignIn.body.state).toMatchObject({ signedIn: false, availability: 'idle', phones: {}, authMode: 'uap', boundPhone: null });
  });

  it('answers the error contract: bad bodies, unknown ids, other tenants, other agents', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.agentIn(tenant);
    expect(
      (
        await svc.http.post(
          `/tenants/${tenant.tenantId}/agents`,
          { name: 'x', orgUnitId: 'ou1', workNumber: 'abc', softphoneNumber: '1' },
          tenant.admin,
        )
      ).body,
    ).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'workNumber',
    });
    const ann = (await svc.http.get(`/agents/${agentId}`, token)).body;
    expect(
      (
        await svc.http.post(
          `/tenants/${tenant.tenantId}/agents`,
          { name: 'Bob', orgUnitId: 'ou1', workNumber: ann.workNumber, softphoneNumber: '88002' },
          tenant.admin,
        )
      ).body,
    ).toMatchObject({
      status: 409,
      code: 'WORK_NUMBER_TAKEN',
      field: 'workNumber',
    });
    expect((await svc.http.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: ['nope'] }, tenant.admin)).body).toMatchObject({
      status: 422,
      code: 'SKILL_QUEUE_NOT_FOUND',
      field: 'skillQueueIds',
    });
    expect((await svc.http.post(`/agents/${agentId}/phones/3/registration-result`, { outcome: 'registered' }, token)).body).toMatchObject({
      status: 400,
      field: 'phoneId',
    });
    expect((await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token)).body).toMatchObject({
      status: 409,
      code: 'PHONE_NOT_REGISTERING',
    });
    expect((await svc.http.get(`/agents/${randomUUID()}`, tenant.admin)).body).toMatchObject({ status: 404, code: 'AGENT_NOT_FOUND' });
    const stranger = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId: randomUUID() });
    expect((await svc.http.get(`/agents/${agentId}`, stranger)).body).toMatchObject({ status: 404, code: 'AGENT_NOT_FOUND' });
    expect((await svc.http.get(`/tenants/${tenant.tenantId}/agents`, stranger)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: ['voice-q'] }, stranger)).body).toMatchObject({
      status: 404,
      code: 'AGENT_NOT_FOUND',
    });
    const other = await tokenFor({ subject: 'someone-else', role: 'agent', tenantId: tenant.tenantId });
    expect((await svc.http.post(`/agents/${agentId}/sign-in`, {}, other)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/agents`, {}, token)).body).toMatchObject({
      status: 403,
      code: 'AUTH_ROLE_FORBIDDEN',
    });
    expect((await svc.http.post(`/agents/${agentId}/sign-in`, {})).body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_MISSING' });
    const ghost = randomUUID();
    expect(
      (await svc.http.post(`/agents/${ghost}/sign-in`, {}, await tokenFor({ subject: ghost, role: 'agent', tenantId: tenant.tenantId })))
        .body,
    ).toMatchObject({
      status: 404,
      code: 'AGENT_NOT_FOUND',
    });
    expect((await svc.http.post(`/agents/${agentId}/registration`, { phoneId: 3 }, token)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'phoneId',
    });
    expect((await svc.http.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'maybe' }, token)).body).toMatchObject({
      status: 400,
      field: 'outcome',
    });
    expect((await svc.http.put(`/agents/${agentId}/auth-mode`, { authMode: 'unified', extra: 1 }, tenant.admin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await svc.http.get(`/agents/${agentId}/history?at=yesterday`, token)).body).toMatchObject({ status: 400, field: 'at' });
    expect((await svc.http.post(`/agents/${agentId}/registration`, {}, token)).body).toMatchObject({
      status: 409,
      code: 'AGENT_NOT_SIGNED_IN',
    });
    // A refused command leaves nothing behind.
    expect((await svc.http.get(`/agents/${agentId}`, token)).body).toMatchObject({ signedIn: false, skillQueueIds: ['voice-q'] });
    const board = await svc.http.get(`/tenants/${tenant.tenantId}/agents`, tenant.admin);
    expect(board.body.map((a: { agentId: string }) => a.agentId)).toContain(agentId);
  });
});
