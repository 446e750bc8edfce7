/**
 * The four services as processes over the real Kafka, PostgreSQL, Redis:
 * - command to read model across services: the gateway reports the customer's
 *   answer to call-svc; how long until agent-svc's read model shows the agent
 *   occupied (call.connected → agent.became-occupied), and after the hang-up,
 *   idle again. p50 / p99 over ROUNDS calls, polled every 5 ms;
 * - sustained inbound calls: AGENTS agents, one caller loop each: an inbound
 *   call to the access code, auto-answered 2 s after its offer, then hung up by
 *   the customer; calls per second completed over SECONDS (the 2-second
 *   auto-answer bounds it at about AGENTS / 2 per second).
 */
import { RunningSystem } from '@softphone/service-testing';
import { testEnv, testSigningKey } from '@softphone/testing';
import { SystemClient } from '../../tools/scenario/src/system.js';
import { fmt, percentile, table } from '../support.js';

const ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? 100);
const AGENTS = Number(process.env.BENCH_E2E_AGENTS ?? 40);
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, intervalMs: number, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not reached within the timeout');
    await sleep(intervalMs);
  }
}

export default async function endToEndBench(): Promise<void> {
  const system = await RunningSystem.start({ label: 'bench_e2e' });
  try {
    const urls = system.urls();
    const client = new SystemClient({
      tenant: urls['tenant-svc'],
      agent: urls['agent-svc'],
      call: urls['call-svc'],
      quality: urls['quality-svc'],
      signingKey: testSigningKey,
      mailApi: testEnv.mailApiUrl,
    });
    const sysadmin = await client.token({ subject: 'root', role: 'system-admin', tenantId: 'system' });
    const { tenantId } = (await client.tenant.post('/tenants', { name: 'Bench' }, sysadmin)).body;
    await client.tenant.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [{ gatewayId: 'gw', address: 'wss://gw' }] },
      sysadmin,
    );
    const admin = await client.token({ subject: 'adm', role: 'tenant-admin', tenantId });
    const gateway = await client.token({ subject: 'gw', role: 'gateway', tenantId });
    const { skillQueueId } = (
      await client.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice', mediaType: 'voice', accessCode: '4001' }, admin)
    ).body;
    const { orgUnitId } = (await client.tenant.post(`/tenants/${tenantId}/org-units`, { name: 'Bench' }, admin)).body;
    const agents = await Promise.all(
      Array.from({ length: AGENTS }, async (_, i) => {
        // agent-svc learns of the org unit from tenant-svc's events.
        const { agentId } = await until(async () => {
          const created = await client.agent.post(
            `/tenants/${tenantId}/agents`,
            { name: `Agent ${i}`, orgUnitId, workNumber: String(1000 + i), softphoneNumber: `88${1000 + i}` },
            admin,
          );
          return created.status === 201 ? (created.body as { agentId: string }) : undefined;
        }, 100);
        const token = await client.token({ subject: agentId, role: 'agent', tenantId });
        await until(
          async () =>
            (await client.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status === 200
              ? true
              : undefined,
          100,
        );
        await client.agent.post(`/agents/${agentId}/sign-in`, {}, token);
        await client.agent.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, token);
        return { agentId, token };
      }),
    );
    const [first] = agents;
    const availability = async () => (await client.agent.get(`/agents/${first.agentId}`, first.token)).body.availability as string;

    // Command to read model, across call-svc → Kafka → agent-svc.
    const occupied: number[] = [];
    const idle: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const placed = await until(async () => {
        const result = await client.call.post('/calls', { to: '5550100' }, first.token);
        return result.status === 201 ? result.body : undefined;
      }, 20);
      await client.call.post(`/calls/${placed.callId}/answer`, {}, first.token);
      let started = performance.now();
      await client.call.post(`/calls/${placed.callId}/customer-answered`, {}, gateway);
      await until(async () => ((await availability()) === 'occupied' ? true : undefined), 5);
      occupied.push(performance.now() - started);
      started = performance.now();
      await client.call.post(`/calls/${placed.callId}/hang-up`, {}, first.token);
      await until(async () => ((await availability()) === 'idle' ? true : undefined), 5);
      idle.push(performance.now() - started);
    }
    occupied.sort((a, b) => a - b);
    idle.sort((a, b) => a - b);

    // Sustained inbound calls with auto-answer: one caller loop per agent.
    let completed = 0;
    const end = Date.now() + SECONDS * 1000;
    const startedAt = performance.now();
    await Promise.all(
      agents.map(async (_, caller) => {
        while (Date.now() < end) {
          const { callId } = (await client.call.post('/calls/inbound', { caller: `5551${caller}`, dialed: '4001' }, gateway)).body;
          await until(async () => ((await client.call.get(`/calls/${callId}`, admin)).body.status === 'talking' ? true : undefined), 100);
          await client.call.post(`/calls/${callId}/customer-hung-up`, {}, gateway);
          completed++;
        }
      }),
    );
    const rate = completed / ((performance.now() - startedAt) / 1000);

    table([
      {
        measure: 'answer → agent occupied (call-svc → agent-svc)',
        p50: `${fmt(percentile(occupied, 50), 1)} ms`,
        p99: `${fmt(percentile(occupied, 99), 1)} ms`,
        n: occupied.length,
      },
      {
        measure: 'hang-up → agent idle (call-svc → agent-svc)',
        p50: `${fmt(percentile(idle, 50), 1)} ms`,
        p99: `${fmt(percentile(idle, 99), 1)} ms`,
        n: idle.length,
      },
    ]);
    table([{ 'inbound calls/s auto-answered and hung up': fmt(rate, 1), agents: AGENTS, seconds: SECONDS, calls: completed }]);
  } finally {
    await system.close();
  }
}
