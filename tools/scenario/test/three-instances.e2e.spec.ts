import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { eventually } from '@softphone/testing';
import { SystemClient } from '../src/system.js';
import { clientOf, rows } from './support.js';
import { addAgent, patientAnswerGuard, readyAgent } from './setup.js';

const AGENTS = 12;
/** Arrivals per second, more than 12 agents answering 2 s after each offer can take: calls wait in the queue. */
const RATE = 8;
const SECONDS = 8;
/** Two routings committing within this much of each other may take their calls in either order. */
const SAME_MOMENT_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Routed {
  call_id: string;
  agent_id: string;
  queued_at: Date;
  offered_at: Date;
  ended_at: Date;
  connected: string;
}

describe('three instances of call-svc and of agent-svc under the inbound load', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start({ label: 'three_instances' });
    for (const instance of ['b', 'c'])
      await Promise.all([system.startInstance('call-svc', instance), system.startInstance('agent-svc', instance)]);
  }, 240_000);

  afterAll(async () => {
    await system?.close();
  });

  it('keeps one call per agent, first come first served per queue, and answers every call once', async () => {
    const client = clientOf(system);
    const ready = await readyAgent(system, client);
    await patientAnswerGuard(system, client, ready);
    for (let n = 1; n < AGENTS; n++) await addAgent(system, client, ready, n);
    await eventually(async () => {
      const [known] = await rows<{ n: string }>(
        system,
        'call-svc',
        `SELECT count(*) AS n FROM agents WHERE phones = '{"1": "registered"}'`,
      );
      expect(Number(known.n)).toBe(AGENTS);
    }, 60_000);
    // Each request goes to the next instance of call-svc (and of agent-svc behind them, by partition).
    const instances = ['a', 'b', 'c'].map(
      (i) => new SystemClient({ ...client.address, call: system.instance('call-svc', i).url, agent: system.instance('agent-svc', i).url }),
    );

    const flows: Array<Promise<string>> = [];
    for (let n = 0; n < RATE * SECONDS; n++) {
      const via = instances[n % 3];
      const answering = instances[(n + 1) % 3];
      flows.push(
        (async () => {
          const arrived = await via.call.post('/calls/inbound', { caller: `5557${n}`, dialed: ready.accessCode }, ready.gateway);
          expect(arrived.status).toBe(201);
          const { callId } = arrived.body as { callId: string };
          await eventually(
            async () => expect((await answering.call.get(`/calls/${callId}`, ready.admin)).body.status).toBe('talking'),
            90_000,
            100,
          );
          await sleep(300 + (n % 5) * 100);
          expect((await answering.call.post(`/calls/${callId}/customer-hung-up`, {}, ready.gateway)).status).toBe(200);
          return callId;
        })(),
      );
      await sleep(1000 / RATE);
    }
    const callIds = await Promise.all(flows);

    const routed = await rows<Routed>(
      system,
      'call-svc',
      `SELECT v.call_id, v.agent_id, v.queued_at, v.offered_at, v.ended_at,
              (SELECT count(*) FROM es_events e WHERE e.stream_id = 'call-' || v.call_id AND e.type = 'call.connected') AS connected
       FROM calls_view v WHERE v.call_id = ANY($1) ORDER BY v.queued_at`,
      [callIds],
    );
    expect(routed).toHaveLength(callIds.length);
    // Every call answered exactly once (the durable auto-answer, whichever instance ran it), and ended.
    expect(routed.filter((c) => Number(c.connected) !== 1 || !c.ended_at)).toEqual([]);
    // Calls really waited: the check below is about a queue, not about idle agents.
    expect(routed.filter((c) => c.offered_at.getTime() - c.queued_at.getTime() > 1_000).length).toBeGreaterThan(5);

    // One call per agent at a time: an agent's calls never overlap, from offer to end.
    const byAgent = new Map<string, Routed[]>();
    for (const c of routed) byAgent.set(c.agent_id, [...(byAgent.get(c.agent_id) ?? []), c]);
    for (const calls of byAgent.values()) {
      const sorted = [...calls].sort((x, y) => x.offered_at.getTime() - y.offered_at.getTime());
      for (let i = 1; i < sorted.length; i++)
        expect([sorted[i].call_id, sorted[i].offered_at >= sorted[i - 1].ended_at]).toEqual([sorted[i].call_id, true]);
    }
    // First come, first served: no call was offered ahead of one that had been waiting longer.
    const overtaken = routed.flatMap((later) =>
      routed
        .filter(
          (earlier) =>
            earlier.queued_at.getTime() < later.queued_at.getTime() - SAME_MOMENT_MS &&
            earlier.offered_at.getTime() > later.offered_at.getTime() + SAME_MOMENT_MS,
        )
        .map((earlier) => `${earlier.call_id} (queued first) offered after ${later.call_id}`),
    );
    expect(overtaken).toEqual([]);
    // Every queue's dispatch requests were taken by its dispatcher, whichever instance held the queue: none is left waiting.
    await eventually(async () =>
      expect(await rows(system, 'call-svc', 'SELECT tenant_id, skill_queue_id FROM dispatch_requests')).toEqual([]),
    );

    // agent-svc (three instances sharing the call events) applied each call once (occupied once; idle at most once:
    // a call whose end is read after the agent's next call began, from another partition, needs no idle of its own),
    // and every agent is idle again.
    await eventually(async () => {
      const changes = await rows<{ call_id: string; type: string; n: string }>(
        system,
        'agent-svc',
        `SELECT data->>'callId' AS call_id, type, count(*) AS n FROM es_events
         WHERE type IN ('agent.became-occupied', 'agent.became-idle') AND data->>'callId' = ANY($1) GROUP BY 1, 2`,
        [callIds],
      );
      expect(changes.filter((c) => c.n !== '1')).toEqual([]);
      expect(changes.filter((c) => c.type === 'agent.became-occupied')).toHaveLength(callIds.length);
      expect(await rows(system, 'agent-svc', `SELECT agent_id FROM agents_view WHERE current_call_id IS NOT NULL`)).toEqual([]);
    }, 60_000);
  }, 300_000);
});
