import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { eventually, startPrivateKafkaCluster, testKafka, type PrivateKafkaCluster } from '@softphone/testing';
import { clientOf, expectEverythingPublished, rows } from './support.js';
import { addAgent, patientAnswerGuard, readyAgent } from './setup.js';

const OUTAGE_MS = 30_000;
/** A call every 600 ms, each holding an agent ~2.5 s: 5 agents keep up, so a call that waits long is the outage's doing. */
const AGENTS = 5;
const CALL_EVERY_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The node that leads the most partitions of the system's topics. */
async function busiestLeader(brokers: string[], prefix: string): Promise<number> {
  const admin = (await testKafka('admin', brokers)).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    const led = new Map<number, number>();
    for (const topic of metadata) for (const p of topic.partitions) led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
    return [...led].sort((a, b) => b[1] - a[1])[0][0];
  } finally {
    await admin.disconnect();
  }
}

describe('fault: in a three-broker cluster, the broker leading the most partitions killed (-9) for 30 s during traffic', () => {
  let cluster: PrivateKafkaCluster;
  let system: RunningSystem;

  beforeAll(async () => {
    cluster = await startPrivateKafkaCluster();
    system = await RunningSystem.start({ label: 'kafka_cluster', kafkaBrokers: cluster.brokers });
  }, 240_000);

  afterAll(async () => {
    await system?.close();
    await cluster?.close();
  }, 120_000);

  it('loses no event, applies none twice, read models converge, and calls offered meanwhile are auto-answered once', async () => {
    const client = clientOf(system);
    const ready = await readyAgent(system, client);
    await patientAnswerGuard(system, client, ready);
    for (let n = 1; n < AGENTS; n++) await addAgent(system, client, ready, n);

    // Steady traffic: an inbound call every CALL_EVERY_MS, auto-answered 2 s after its offer, hung up by the customer.
    const calls: Array<{ callId: string; at: number }> = [];
    const flows: Array<Promise<void>> = [];
    let running = true;
    const traffic = (async () => {
      for (let n = 0; running; n++) {
        flows.push(
          (async () => {
            const arrived = await client.call.post('/calls/inbound', { caller: `5559${n}`, dialed: ready.accessCode }, ready.gateway);
            expect(arrived.status).toBe(201);
            const { callId } = arrived.body as { callId: string };
            calls.push({ callId, at: Date.now() });
            await eventually(
              async () => expect((await client.call.get(`/calls/${callId}`, ready.admin)).body.status).toBe('talking'),
              60_000,
              100,
            );
            expect((await client.call.post(`/calls/${callId}/customer-hung-up`, {}, ready.gateway)).status).toBe(200);
          })(),
        );
        await sleep(CALL_EVERY_MS);
      }
    })();

    await sleep(8_000);
    const victim = await busiestLeader(cluster.brokers, system.topicPrefix);
    await cluster.stopNode(victim, 'SIGKILL');
    const killedAt = Date.now();
    // tenant-svc too: a queue created while the broker is down reaches the other services.
    const queue = await client.tenant.post(
      `/tenants/${ready.tenantId}/skill-queues`,
      { name: 'Video', mediaType: 'video', accessCode: '4002' },
      ready.admin,
    );
    expect(queue.status).toBe(201);
    await sleep(OUTAGE_MS - (Date.now() - killedAt));
    const restartedAt = Date.now();
    await cluster.startNode(victim);
    await sleep(5_000);
    running = false;
    await traffic;
    await Promise.all(flows);
    const duringOutage = calls.filter((c) => c.at >= killedAt && c.at < restartedAt);
    expect(duringOutage.length).toBeGreaterThan(OUTAGE_MS / CALL_EVERY_MS / 2);

    // call-svc: every call auto-answered exactly once, and ended.
    const connected = await rows<{ call_id: string; n: string }>(
      system,
      'call-svc',
      `SELECT data->>'callId' AS call_id, count(*) AS n FROM es_events WHERE type = 'call.connected' GROUP BY 1`,
    );
    const connectedCount = new Map(connected.map((r) => [r.call_id, Number(r.n)]));
    for (const { callId } of calls) expect([callId, connectedCount.get(callId)]).toEqual([callId, 1]);

    // Nothing lost on the way: every stored event of every service is on its topic.
    for (const service of ['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc'] as const) {
      await expectEverythingPublished(system, service, cluster.brokers).catch(async (error: Error) => {
        const state = await rows(
          system,
          service,
          `SELECT name, position, (SELECT max(position) FROM es_events) AS last FROM es_checkpoints`,
        );
        throw new Error(`${service}: ${error.message}; relay checkpoint ${JSON.stringify(state)}\n${system.output()}`);
      });
    }
    // agent-svc applied each call once: occupied once per call, idle at most once (a call that ended after
    // the agent's next call began, on another partition, needs no idle of its own), and every agent idle in the end.
    await eventually(async () => {
      const changes = await rows<{ call_id: string; type: string; n: string }>(
        system,
        'agent-svc',
        `SELECT data->>'callId' AS call_id, type, count(*) AS n FROM es_events
         WHERE type IN ('agent.became-occupied', 'agent.became-idle') GROUP BY 1, 2`,
      );
      const count = (callId: string, type: string) => Number(changes.find((c) => c.call_id === callId && c.type === type)?.n ?? 0);
      for (const { callId } of calls) expect([callId, count(callId, 'agent.became-occupied')]).toEqual([callId, 1]);
      expect(changes.filter((c) => c.n !== '1')).toEqual([]);
      const busy = await rows<{ agent_id: string }>(
        system,
        'agent-svc',
        `SELECT agent_id FROM agents_view WHERE current_call_id IS NOT NULL`,
      );
      expect(busy).toEqual([]);
    }, 90_000);
    // quality-svc's directory knows every call, ended.
    await eventually(async () => {
      const known = await rows<{ call_id: string }>(system, 'quality-svc', 'SELECT call_id FROM calls WHERE ended_at IS NOT NULL');
      const ended = new Set(known.map((r) => r.call_id));
      expect(calls.filter((c) => !ended.has(c.callId))).toEqual([]);
    }, 60_000);
    // agent-svc learned of the queue created while the broker was down.
    await eventually(
      async () =>
        expect(
          (await client.agent.put(`/agents/${ready.agentId}/skill-queues`, { skillQueueIds: [queue.body.skillQueueId] }, ready.admin))
            .status,
        ).toBe(200),
      60_000,
    );
  }, 420_000);
});
