import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { tokenFor } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import { AgentChanges } from '../src/agents/agent-changes.js';
import { useAgentSvc } from './agent-svc-harness.js';

const now = () => new Date().toISOString();

describe('GET /agents/:id waiting for a newer row (read-your-writes)', () => {
  const svc = useAgentSvc('ryw');

  it('answers once the projection commits a newer version, from a call event consumed on Kafka', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.registeredAgentIn(tenant);
    const before = (await svc.http.get(`/agents/${agentId}`, token)).body;
    expect(before).toMatchObject({ availability: 'idle', version: expect.any(Number) });

    const waiting = svc.http.get(`/agents/${agentId}?afterVersion=${before.version}&waitMs=5000`, token);
    // Waiting before the event: the projection returns the row it writes, and the commit hands it to the wait (no read).
    await eventually(async () => expect(svc.app.get(AgentChanges).waiting).toBe(1));
    await svc.callEvents(tenant.tenantId, {
      type: 'call.placed',
      data: { callId: 'c1', agentId, phoneId: 1, from: '88001', to: '5550100', media: 'voice', at: now() },
    });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ availability: 'ringing', currentCallId: 'c1', version: before.version + 1 });
    // The row handed by the commit is the row a read gives.
    expect(answer.body).toEqual((await svc.http.get(`/agents/${agentId}`, token)).body);
  });

  it("wakes a wait in another instance (the change is committed by this one's command)", async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId } = await svc.agentIn(tenant);
    const other = await svc.anotherInstance('ryw-b');
    const before = (await other.http.get(`/agents/${agentId}`, tenant.admin)).body;

    const waiting = other.http.get(`/agents/${agentId}?afterVersion=${before.version}&waitMs=5000`, tenant.admin);
    // The command to this instance commits while the other instance waits: only its NOTIFY can wake that wait.
    await eventually(async () => expect(other.app.get(AgentChanges).waiting).toBe(1));
    expect((await svc.http.put(`/agents/${agentId}/bound-phone`, { kind: 'mobile', number: '13800000000' }, tenant.admin)).status).toBe(
      200,
    );
    expect((await waiting).body).toMatchObject({ boundPhone: { kind: 'mobile', number: '13800000000' }, version: before.version + 1 });
    await other.close();
  });

  it('answers at once when the row is newer already, and the unchanged row when nothing changes within waitMs', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.agentIn(tenant);
    const current = (await svc.http.get(`/agents/${agentId}`, token)).body;
    expect((await svc.http.get(`/agents/${agentId}?afterVersion=0&waitMs=5000`, token)).body).toEqual(current);

    const unchanged = await svc.http.get(`/agents/${agentId}?afterVersion=${current.version}&waitMs=200`, token);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toEqual(current);
  });

  it('refuses a bad waitMs or afterVersion (400 naming it), and another tenant reading the agent finds nothing (404) before any wait', async () => {
    const tenant = await svc.webRtcTenant(false);
    const { agentId, token } = await svc.agentIn(tenant);
    for (const [query, field] of [
      ['afterVersion=1&waitMs=5001', 'waitMs'],
      ['afterVersion=1&waitMs=-1', 'waitMs'],
      ['afterVersion=1&waitMs=soon', 'waitMs'],
      ['afterVersion=-1&waitMs=100', 'afterVersion'],
      ['afterVersion=1.5', 'afterVersion'],
      ['waitMs=100', 'afterVersion'],
    ]) {
      const refused = await svc.http.get(`/agents/${agentId}?${query}`, token);
      expect({ query, status: refused.status, code: refused.body.code, field: refused.body.field }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
        field,
      });
    }

    const stranger = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId: randomUUID() });
    const elsewhere = await svc.http.get(`/agents/${agentId}?afterVersion=1000&waitMs=5000`, stranger);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('AGENT_NOT_FOUND');
  });
});
