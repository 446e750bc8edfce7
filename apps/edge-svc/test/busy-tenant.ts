import { expect } from '@jest/globals';
import type { QualityLevel, QualitySecond } from '@softphone/contracts';
import { eventually } from '@softphone/testing';
import type { BrowserSystem } from './browser-system.js';

/** Where agents are made and who acts: the tenant, its unit and voice queue, its admin's and gateway's tokens. */
export interface TenantScope {
  tenantId: string;
  orgUnitId: string;
  skillQueueId: string;
  admin: string;
  gateway: string;
}

export type AgentState = 'signed-out' | 'idle' | 'ringing' | 'talking';

/**
 * A new agent of the tenant brought over REST (as its softphone and the gateway would) to signed out, idle, ringing
 * (its own outbound call rings its phone) or talking; its call's id when it has one.
 */
export async function agentIn(
  sys: BrowserSystem,
  scope: TenantScope,
  name: string,
  workNumber: string,
  state: AgentState,
): Promise<{ agentId: string; callId: string | null }> {
  const { tenantId, orgUnitId, skillQueueId, admin, gateway } = scope;
  const body = { name, orgUnitId, workNumber, softphoneNumber: `88${workNumber}` };
  const { agentId } = (await sys.agent.post(`/tenants/${tenantId}/agents`, body, admin)).body as { agentId: string };
  const own = await sys.token({ subject: agentId, role: 'agent', tenantId });
  if (state === 'signed-out') return { agentId, callId: null };
  // A voice skill queue: what lets an agent use the WebRTC phone.
  await eventually(async () =>
    expect((await sys.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status).toBe(200),
  );
  expect((await sys.agent.post(`/agents/${agentId}/sign-in`, {}, own)).status).toBeLessThan(300);
  await eventually(async () => {
    const { phones } = (await sys.agent.get(`/agents/${agentId}`, own)).body as { phones: { phoneId: number; status: string }[] };
    for (const phone of phones.filter((p) => p.status === 'registering'))
      await sys.agent.post(`/agents/${agentId}/phones/${phone.phoneId}/registration-result`, { outcome: 'registered' }, own);
    expect((await sys.agent.get(`/agents/${agentId}`, own)).body).toMatchObject({ registered: true });
  });
  if (state === 'idle') return { agentId, callId: null };
  let callId = '';
  await eventually(async () => {
    const placed = await sys.call.post('/calls', { to: `555${workNumber}`, media: 'voice' }, own);
    expect(placed.status).toBe(201);
    callId = (placed.body as { callId: string }).callId;
  });
  if (state === 'talking') {
    expect((await sys.call.post(`/calls/${callId}/answer`, {}, own)).status).toBeLessThan(300);
    expect((await sys.call.post(`/calls/${callId}/customer-answered`, {}, gateway)).status).toBeLessThan(300);
  }
  return { agentId, callId };
}

/** Measured seconds as quality-svc publishes them: `n` seconds up to now, the metrics waving around a level's. */
export function measuredSeconds(callId: string, agentId: string, level: QualityLevel, n = 90): QualitySecond[] {
  const base = { good: [0.002, 6, 45, 4.3], medium: [0.015, 35, 170, 3.7], poor: [0.055, 70, 320, 2.7], bad: [0.15, 120, 500, 1.8] }[level];
  const now = Math.floor(Date.now() / 1000) * 1000;
  return Array.from({ length: n }, (_, i) => {
    const wave = 1 + 0.3 * Math.sin(i / 5);
    return {
      callId,
      agentId,
      second: new Date(now - (n - 1 - i) * 1000).toISOString(),
      level,
      metrics: {
        lossRate: base[0] * wave,
        jitterMs: base[1] * wave,
        oneWayDelayMs: base[2] * wave,
        mos: Math.min(4.5, base[3] / wave ** 0.2),
      },
      flags: [],
    };
  });
}
