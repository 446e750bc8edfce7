import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { eventually, startPrivateKafka, type PrivateKafka } from '@softphone/testing';
import { clientOf, expectEverythingPublished } from './support.js';
import { availabilityByCall, readyAgent, talkAndHangUp } from './setup.js';

const OUTAGE_MS = 30_000;

describe('fault: Kafka stopped for 30 s during traffic, then restarted', () => {
  let kafka: PrivateKafka;
  let system: RunningSystem;

  beforeAll(async () => {
    kafka = await startPrivateKafka();
    system = await RunningSystem.start({ label: 'kafka_outage', kafkaBrokers: kafka.brokers });
  });

  afterAll(async () => {
    await system?.close();
    await kafka?.close();
  });

  it('loses no event, and every read model converges', async () => {
    const client = clientOf(system);
    const ready = await readyAgent(system, client);

    await kafka.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    // Traffic while Kafka is down: each service keeps taking commands (its events wait in its store).
    const calls = [await talkAndHangUp(client, ready), await talkAndHangUp(client, ready), await talkAndHangUp(client, ready)];
    const queue = await client.tenant.post(
      `/tenants/${ready.tenantId}/skill-queues`,
      { name: 'Video', mediaType: 'video', accessCode: '4002' },
      ready.admin,
    );
    expect(queue.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    await kafka.start();

    // agent-svc saw every call exactly once: occupied then idle, and is idle now.
    await eventually(async () => {
      const byCall = await availabilityByCall(client, ready);
      for (const callId of calls) expect(byCall[callId]).toEqual(['agent.became-occupied', 'agent.became-idle']);
    }, 90_000);
    expect((await client.agent.get(`/agents/${ready.agentId}`, ready.agent)).body.availability).toBe('idle');
    // agent-svc learned of the queue created during the outage.
    await eventually(
      async () =>
        expect(
          (await client.agent.put(`/agents/${ready.agentId}/skill-queues`, { skillQueueIds: [queue.body.skillQueueId] }, ready.admin))
            .status,
        ).toBe(200),
      60_000,
    );
    for (const service of ['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc'] as const)
      await expectEverythingPublished(system, service, kafka.brokers);
  });
});
