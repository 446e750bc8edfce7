import { expect } from '@jest/globals';
import pg from 'pg';
import type { RunningSystem } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import type { SystemClient } from '../src/system.js';

export interface ReadyAgent {
  tenantId: string;
  admin: string;
  gateway: string;
  agentId: string;
  agent: string;
  accessCode: string;
  orgUnitId: string;
}

/** A tenant with WebRTC, a voice queue, and an agent signed in with a registered phone, known to call-svc with the queue's access code. */
export async function readyAgent(system: RunningSystem, client: SystemClient, accessCode = '4001'): Promise<ReadyAgent> {
  const sysadmin = await client.token({ subject: 'root', role: 'system-admin', tenantId: 'system' });
  const { tenantId } = (await client.tenant.post('/tenants', { name: 'Faults' }, sysadmin)).body;
  await client.tenant.post(
    `/tenants/${tenantId}/webrtc`,
    { registrationServerType: 'webRTC', gateways: [{ gatewayId: 'gw-1', address: 'wss://gw-1' }] },
    sysadmin,
  );
  const admin = await client.token({ subject: 'adm', role: 'tenant-admin', tenantId });
  const gateway = await client.token({ subject: 'gw', role: 'gateway', tenantId });
  const { skillQueueId } = (
    await client.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice', mediaType: 'voice', accessCode }, admin)
  ).body;
  const { orgUnitId } = (await client.tenant.post(`/tenants/${tenantId}/org-units`, { name: 'Support' }, admin)).body;
  // agent-svc learns of the org unit from tenant-svc's events.
  const { agentId } = await eventually(async () => {
    const created = await client.agent.post(
      `/tenants/${tenantId}/agents`,
      { name: 'Ann', orgUnitId, workNumber: '1001', softphoneNumber: '88001' },
      admin,
    );
    expect(created.status).toBe(201);
    return created.body;
  });
  const agent = await client.token({ subject: agentId, role: 'agent', tenantId });
  await eventually(async () =>
    expect((await client.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status).toBe(200),
  );
  const signedIn = await client.agent.post(`/agents/${agentId}/sign-in`, {}, agent);
  expect(signedIn.status).toBe(200);
  // Signed in before agent-svc heard that WebRTC is on (another partition): register by hand once it has.
  if (!signedIn.body.credentials)
    await eventually(async () => expect((await client.agent.post(`/agents/${agentId}/registration`, {}, agent)).status).toBe(200));
  await client.agent.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, agent);
  // call-svc knows the agent once it can place (and hang up) a call.
  const probe = await eventually(async () => {
    const placed = await client.call.post('/calls', { to: '5550100' }, agent);
    expect(placed.status).toBe(201);
    return placed.body;
  });
  await client.call.post(`/calls/${probe.callId}/hang-up`, {}, agent);
  await eventually(async () => {
    const db = new pg.Client({ connectionString: system.database('call-svc').url });
    await db.connect();
    try {
      expect(
        (await db.query('SELECT 1 FROM destinations WHERE tenant_id = $1 AND access_code = $2', [tenantId, accessCode])).rows,
      ).toHaveLength(1);
    } finally {
      await db.end();
    }
  });
  return { tenantId, admin, gateway, agentId, agent, accessCode, orgUnitId };
}

/** An outbound call from the agent, answered by both sides, then hung up by the agent. */
export async function talkAndHangUp(client: SystemClient, ready: ReadyAgent): Promise<string> {
  const placed = await client.call.post('/calls', { to: '5550100' }, ready.agent);
  expect(placed.status).toBe(201);
  await client.call.post(`/calls/${placed.body.callId}/answer`, {}, ready.agent);
  expect((await client.call.post(`/calls/${placed.body.callId}/customer-answered`, {}, ready.gateway)).body.status).toBe('talking');
  expect((await client.call.post(`/calls/${placed.body.callId}/hang-up`, {}, ready.agent)).body.status).toBe('ended');
  return placed.body.callId;
}

/** The agent's availability changes recorded by agent-svc, per call. */
export async function availabilityByCall(client: SystemClient, ready: ReadyAgent): Promise<Record<string, string[]>> {
  const { timeline } = (await client.agent.get(`/agents/${ready.agentId}/history`, ready.agent)).body as {
    timeline: Array<{ event: string; data: { callId?: string } }>;
  };
  const byCall: Record<string, string[]> = {};
  for (const entry of timeline) {
    if (entry.event === 'agent.became-occupied' || entry.event === 'agent.became-idle')
      (byCall[entry.data.callId!] ??= []).push(entry.event);
  }
  return byCall;
}

/** One more agent of the tenant (number n), bound to its queue, signed in with a registered phone. */
export async function addAgent(system: RunningSystem, client: SystemClient, ready: ReadyAgent, n: number): Promise<string> {
  const db = new pg.Client({ connectionString: system.database('call-svc').url });
  await db.connect();
  const skillQueueId = await db
    .query<{ skill_queue_id: string }>('SELECT skill_queue_id FROM destinations WHERE tenant_id = $1 AND access_code = $2', [
      ready.tenantId,
      ready.accessCode,
    ])
    .then((r) => r.rows[0].skill_queue_id)
    .finally(() => db.end());
  const { agentId } = (
    await client.agent.post(
      `/tenants/${ready.tenantId}/agents`,
      { name: `Agent ${n}`, orgUnitId: ready.orgUnitId, workNumber: String(2000 + n), softphoneNumber: `882${String(n).padStart(3, '0')}` },
      ready.admin,
    )
  ).body;
  const token = await client.token({ subject: agentId, role: 'agent', tenantId: ready.tenantId });
  expect((await client.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, ready.admin)).status).toBe(200);
  expect((await client.agent.post(`/agents/${agentId}/sign-in`, {}, token)).status).toBe(200);
  await client.agent.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token);
  return agentId;
}

/**
 * Gives the tenant's softphones 60 s (the most allowed) to confirm media after an auto-answer, once call-svc knows it.
 * The load tests' customers hang up a call once they see it talking, and nothing plays the agent's softphone: with the
 * default 5 s, a slow poll on a loaded machine let the guard take the call back and leave its agent not responding.
 */
export async function patientAnswerGuard(system: RunningSystem, client: SystemClient, ready: ReadyAgent): Promise<void> {
  const callHandling = { autoAnswerGuardSeconds: 60, ringTimeoutSeconds: 30, wrapUpSeconds: 0 };
  expect((await client.tenant.put(`/tenants/${ready.tenantId}/call-handling`, callHandling, ready.admin)).status).toBe(200);
  await eventually(async () => {
    const db = new pg.Client({ connectionString: system.database('call-svc').url });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT auto_answer_guard_seconds FROM tenant_settings WHERE tenant_id = $1', [ready.tenantId]);
      expect(rows).toEqual([{ auto_answer_guard_seconds: 60 }]);
    } finally {
      await db.end();
    }
  });
}
