import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@softphone/platform';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { samplesFrom, uniqueId, upstream } from './support.js';

describe('quality-svc: dashboards per tenant, OU and agent over a time window', () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('dashboard');
  const tenantId = uniqueId('tenant');
  const tenant = upstream(prefix, tenantId);
  const [alice, bob, carol] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
  const from = new Date(Date.now() - 30 * 60_000);
  /** Samples are of the service's now: its clock is set to each call's time when its samples come. */
  const clock = new ManualClock(from);
  const to = new Date(from.getTime() + 10 * 60_000);
  const at = (minutes: number) => new Date(from.getTime() + minutes * 60_000);
  let admin: string;
  const window = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const dashboard = (query = '', token = admin, tenant = tenantId) =>
    svc.http.get(`/tenants/${tenant}/quality/dashboard?${window}${query}`, token);

  beforeAll(async () => {
    db = await createTestDatabase('dashboard');
    svc = await startTestService({
      defaults: QUALITY_SERVICE,
      module: (config) => qualityServiceModule(config, { clock }),
      database: db,
      topicPrefix: prefix,
    });
    admin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId });
    const gateway = await tokenFor({ subject: 'gw', role: 'gateway', tenantId });
    await tenant.orgUnit('center', null);
    await tenant.orgUnit('east', 'center');
    await tenant.orgUnit('east-1', 'east');
    await tenant.orgUnit('west', 'center');
    await tenant.agent(alice, 'east-1');
    await tenant.agent(bob, 'west');
    await tenant.agent(carol, 'east');
    const calls = [
      { agentId: alice, start: at(1), options: {} },
      { agentId: alice, start: at(2), options: { lost: (i: number) => (i <= 6 ? 2 : 0) } },
      { agentId: bob, start: at(3), options: { lost: (i: number) => (i >= 8 ? 5 : 0) } },
      { agentId: carol, start: at(4), options: { jitterMs: 15 } },
      { agentId: bob, start: at(-5), options: { lost: () => 2 } },
    ];
    for (const call of calls) {
      const callId = uniqueId('call');
      await tenant.connected(callId, call.agentId);
      clock.set(new Date(call.start.getTime() + 10_000));
      await svc.http.post(`/calls/${callId}/quality/samples`, { samples: samplesFrom(call.start, 11, call.options) }, gateway);
      // Measured before the clock moves on: samples are judged by the clock when their message is taken, and the next
      // call's time may be minutes away (the last call's is even earlier).
      await eventually(async () => expect((await svc.http.get(`/calls/${callId}/quality/history`, admin)).body.series).toHaveLength(10));
    }
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it("shows the tenant's calls by worst level, the share of poor seconds and the most affected agents and OUs", async () => {
    await eventually(async () => {
      const { body } = await dashboard();
      expect(body.calls).toEqual({ total: 4, byWorstLevel: { good: 1, medium: 1, poor: 1, bad: 1 } });
      expect(body.seconds).toEqual({ rated: 40, unrated: 0, byLevel: { good: 21, medium: 10, poor: 6, bad: 3 }, poorShare: 0.225 });
      expect(body.mostAffectedAgents).toEqual([
        { agentId: alice, name: `Agent ${alice}`, orgUnitId: 'east-1', poorSeconds: 6, ratedSeconds: 20, poorShare: 0.3, calls: 2 },
        { agentId: bob, name: `Agent ${bob}`, orgUnitId: 'west', poorSeconds: 3, ratedSeconds: 10, poorShare: 0.3, calls: 1 },
      ]);
      expect(body.mostAffectedOrgUnits).toEqual([
        { orgUnitId: 'east-1', name: 'OU east-1', poorSeconds: 6, ratedSeconds: 20, poorShare: 0.3, calls: 2 },
        { orgUnitId: 'west', name: 'OU west', poorSeconds: 3, ratedSeconds: 10, poorShare: 0.3, calls: 1 },
      ]);
    });
  });

  it('narrows to an OU with the units under it, and to one agent', async () => {
    await eventually(async () => {
      const east = (await dashboard('&orgUnitId=east')).body;
      expect(east.calls).toEqual({ total: 3, byWorstLevel: { good: 1, medium: 1, poor: 1, bad: 0 } });
      expect(east.mostAffectedAgents.map((a: { agentId: string }) => a.agentId)).toEqual([alice]);
      const justBob = (await dashboard(`&agentId=${bob}`)).body;
      expect(justBob.calls).toEqual({ total: 1, byWorstLevel: { good: 0, medium: 0, poor: 0, bad: 1 } });
      expect(justBob.seconds.poorShare).toBe(0.3);
    });
    await eventually(async () => {
      const wider = await svc.http.get(
        `/tenants/${tenantId}/quality/dashboard?from=${encodeURIComponent(at(-10).toISOString())}&to=${encodeURIComponent(to.toISOString())}&agentId=${bob}`,
        admin,
      );
      expect(wider.body.calls.total).toBe(2);
    });
    expect((await dashboard('&top=1')).body.mostAffectedAgents).toHaveLength(1);
  });

  it('validates the window and the filters, and keeps each tenant to its own dashboard', async () => {
    const reversed = await svc.http.get(
      `/tenants/${tenantId}/quality/dashboard?from=${encodeURIComponent(to.toISOString())}&to=${encodeURIComponent(from.toISOString())}`,
      admin,
    );
    expect(reversed.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'from' });
    const tooLong = await svc.http.get(`/tenants/${tenantId}/quality/dashboard?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`, admin);
    expect(tooLong.body).toMatchObject({ status: 400, field: 'from' });
    expect((await dashboard('&top=500')).body).toMatchObject({ status: 400, field: 'top' });
    expect((await dashboard('&orgUnitId=nowhere')).body).toMatchObject({ status: 404, code: 'ORG_UNIT_NOT_FOUND' });
    expect((await dashboard('&agentId=nobody')).body).toMatchObject({ status: 404, code: 'AGENT_NOT_FOUND' });
    const otherAdmin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId: uniqueId('tenant') });
    expect((await dashboard('', otherAdmin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await dashboard('', await tokenFor({ subject: alice, role: 'agent', tenantId }))).body).toMatchObject({ status: 403 });
    expect((await dashboard('', await tokenFor({ subject: 'm', role: 'ou-manager', tenantId }))).status).toBe(200);
    expect((await dashboard('', await tokenFor({ subject: 'root', role: 'system-admin', tenantId: 'system' }))).body.calls.total).toBe(4);
  });
});
