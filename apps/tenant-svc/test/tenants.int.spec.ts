import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { TENANT_SERVICE, tenantServiceModule } from '../src/tenant-service.js';

describe('tenant-svc: tenants and WebRTC enablement over REST', () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('tenants');
  let sysadmin: string;
  const gateways = [
    { gatewayId: 'gw1', address: 'wss://gw1.example:8443' },
    { gatewayId: 'gw2', address: 'wss://gw2.example:8443' },
  ];

  beforeAll(async () => {
    db = await createTestDatabase('tenants');
    svc = await startTestService({ defaults: TENANT_SERVICE, module: tenantServiceModule, database: db, topicPrefix: prefix });
    sysadmin = await tokenFor({ subject: 'root', role: 'system-admin', tenantId: 'system' });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('creates a tenant, enables WebRTC once, refuses the second time, and publishes the events', async () => {
    const created = await svc.http.post('/tenants', { name: 'Acme' }, sysadmin);
    expect(created.status).toBe(201);
    const { tenantId } = created.body;
    expect(created.body).toMatchObject({ name: 'Acme', status: 'normal', poolMode: false, webRtc: { enabled: false } });

    const enabled = await svc.http.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [gateways[0]] },
      sysadmin,
    );
    expect(enabled.status).toBe(200);
    expect(enabled.body.webRtc).toEqual({ enabled: true, registrationServerType: 'webRTC', gateways: [gateways[0]] });

    const again = await svc.http.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [gateways[0]] },
      sysadmin,
    );
    expect(again.body).toMatchObject({ status: 409, code: 'WEBRTC_ALREADY_ENABLED' });

    const messages = await collect(`${prefix}softphone.tenant.events`, (m) => m.filter((x) => x.key === `tenant-${tenantId}`).length >= 2);
    expect(messages.filter((m) => m.key === `tenant-${tenantId}`).map((m) => JSON.parse(m.value).type)).toEqual([
      'tenant.created',
      'tenant.webrtc-enabled',
    ]);
  });

  it('only lets a system admin enable WebRTC, and only for a normal tenant', async () => {
    const { body: tenant } = await svc.http.post('/tenants', { name: 'Beta' }, sysadmin);
    const admin = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId: tenant.tenantId });
    const body = { registrationServerType: 'webRTC', gateways: [gateways[0]] };
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/webrtc`, body, admin)).body).toMatchObject({
      status: 403,
      code: 'AUTH_ROLE_FORBIDDEN',
    });
    await svc.http.post(`/tenants/${tenant.tenantId}/suspension`, { reason: 'unpaid' }, sysadmin);
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/webrtc`, body, sysadmin)).body).toMatchObject({
      status: 409,
      code: 'TENANT_NOT_NORMAL',
    });
    await svc.http.delete(`/tenants/${tenant.tenantId}/suspension`, sysadmin);
    expect((await svc.http.post(`/tenants/${tenant.tenantId}/webrtc`, body, sysadmin)).status).toBe(200);
  });

  it('requires more than one gateway in CTI pool mode (422) and leaves nothing half-written', async () => {
    const { body: tenant } = await svc.http.post('/tenants', { name: 'Pool', poolMode: true }, sysadmin);
    const one = await svc.http.post(
      `/tenants/${tenant.tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [gateways[0]] },
      sysadmin,
    );
    expect(one.body).toMatchObject({ status: 422, code: 'POOL_MODE_NEEDS_TWO_GATEWAYS', field: 'gateways' });
    expect((await svc.http.get(`/tenants/${tenant.tenantId}`, sysadmin)).body.webRtc.enabled).toBe(false);
    const two = await svc.http.post(`/tenants/${tenant.tenantId}/webrtc`, { registrationServerType: 'webRTC', gateways }, sysadmin);
    expect(two.body.webRtc.gateways).toEqual(gateways);
  });

  it('rejects bad bodies with the field and the reason', async () => {
    const { body: tenant } = await svc.http.post('/tenants', { name: 'Gamma' }, sysadmin);
    const wrongType = await svc.http.post(`/tenants/${tenant.tenantId}/webrtc`, { registrationServerType: 'SIP', gateways }, sysadmin);
    expect(wrongType.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'registrationServerType' });
    const duplicate = await svc.http.post(
      `/tenants/${tenant.tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [gateways[0], gateways[0]] },
      sysadmin,
    );
    expect(duplicate.body).toMatchObject({ status: 400, field: 'gateways', message: 'gateways: gateway ids must be unique' });
    expect((await svc.http.post('/tenants', { name: '' }, sysadmin)).body).toMatchObject({ status: 400, field: 'name' });
    expect((await svc.http.post('/tenants', { name: 'x', extra: 1 }, sysadmin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await svc.http.get('/tenants/bad%20id', sysadmin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'tenantId',
    });
    expect((await svc.http.post('/tenants/nope/webrtc', { registrationServerType: 'webRTC', gateways }, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
  });

  it("shows a tenant admin its own tenant only (another tenant's is 404) and lets it set parameters", async () => {
    const { body: mine } = await svc.http.post('/tenants', { name: 'Mine' }, sysadmin);
    const { body: theirs } = await svc.http.post('/tenants', { name: 'Theirs' }, sysadmin);
    const admin = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId: mine.tenantId });
    expect((await svc.http.get(`/tenants/${mine.tenantId}`, admin)).status).toBe(200);
    expect((await svc.http.get(`/tenants/${theirs.tenantId}`, admin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    const parameters = { notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: true };
    expect((await svc.http.put(`/tenants/${theirs.tenantId}/parameters`, parameters, admin)).status).toBe(404);
    expect((await svc.http.put(`/tenants/${mine.tenantId}/parameters`, parameters, admin)).body.parameters).toEqual(parameters);
    expect((await svc.http.get('/tenants', admin)).status).toBe(403);
  });

  it('sets how agents take calls (auto-answer guard, ring timeout, wrap-up), defaults first, and publishes them', async () => {
    const { body: tenant } = await svc.http.post('/tenants', { name: 'Calls' }, sysadmin);
    expect(tenant.callHandling).toEqual({ autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 0 });
    const admin = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId: tenant.tenantId });
    const callHandling = { autoAnswerGuardSeconds: 8, ringTimeoutSeconds: 20, wrapUpSeconds: 15 };
    expect((await svc.http.put(`/tenants/${tenant.tenantId}/call-handling`, callHandling, admin)).body.callHandling).toEqual(callHandling);
    expect(
      (await svc.http.put(`/tenants/${tenant.tenantId}/call-handling`, { ...callHandling, wrapUpSeconds: -1 }, admin)).body,
    ).toMatchObject({
      status: 400,
      field: 'wrapUpSeconds',
    });
    const agent = await tokenFor({ subject: 'a1', role: 'agent', tenantId: tenant.tenantId });
    expect((await svc.http.put(`/tenants/${tenant.tenantId}/call-handling`, callHandling, agent)).status).toBe(403);
    const events = await collect(`${prefix}softphone.tenant.events`, (m) =>
      m.some((x) => x.key === `tenant-${tenant.tenantId}` && x.value.includes('tenant.call-handling-changed')),
    );
    const changed = events
      .map((m) => JSON.parse(m.value))
      .find((e) => e.type === 'tenant.call-handling-changed' && e.tenantId === tenant.tenantId);
    expect(changed.data).toEqual({ tenantId: tenant.tenantId, ...callHandling });
  });
});
