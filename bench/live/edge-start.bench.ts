/**
 * An edge instance's start with a realistic directory: TENANTS tenants of AGENTS agents in all (agent.created, one org
 * unit and its manager per 20 agents) and HISTORY more agent events (sign-ins and sign-outs: the agent topic keeps its
 * whole history). Process start → /health 200 (caught up), for a first instance without a checkpoint (the tenant and
 * agent topics read from their beginning) and for the next one, which starts from the checkpoint the first saved
 * when it stopped. The events are dated a day ago: older than the resume window, which a start reads anyway.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Partitioners } from 'kafkajs';
import { topics, type EventTopic } from '@softphone/contracts';
import { provisionTestKafka, testKafka } from '@softphone/testing';
import { startServiceProcess } from '../service-process.js';
import { fmt, KAFKA_BROKERS, table } from '../support.js';

const TENANTS = Number(process.env.BENCH_START_TENANTS ?? 100);
const AGENTS = Number(process.env.BENCH_START_AGENTS ?? 10_000);
const HISTORY = Number(process.env.BENCH_START_HISTORY ?? 200_000);
const PER_UNIT = 20;

function envelope(tenantId: string, streamId: string, type: string, data: Record<string, unknown>): string {
  return JSON.stringify({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    tenantId,
    streamId,
    streamVersion: 1,
    correlationId: randomUUID(),
    causationId: null,
    data,
  });
}

/** Publishes the messages as the topic's owner, in large batches, dated a day ago (history, before any window). */
async function publish(prefix: string, topic: EventTopic, owner: string, events: { key: string; value: string }[]): Promise<void> {
  const dayAgo = Date.now() - 86_400_000;
  const messages = events.map((m, i) => ({ ...m, timestamp: String(dayAgo + i) }));
  const producer = (await testKafka(owner)).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 2_000)
      await producer.send({ topic: topics(prefix).events(topic), acks: -1, messages: messages.slice(i, i + 2_000) });
  } finally {
    await producer.disconnect();
  }
}

async function timedStart(prefix: string): Promise<{ ms: number; directory: unknown; stop(): Promise<void> }> {
  const started = performance.now();
  const edge = await startServiceProcess('edge-svc', { KAFKA_TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: '6' }, 600_000);
  const ms = performance.now() - started;
  const health = (await (await fetch(`${edge.url}/health`)).json()) as { live: { directory: unknown } };
  return { ms, directory: health.live.directory, stop: () => edge.stop() };
}

export default async function edgeStartBench(): Promise<void> {
  const prefix = `benchstart${Date.now()}.`;
  await provisionTestKafka(prefix, KAFKA_BROKERS, 6);
  const tenantOf = (agent: number) => `tenant-${agent % TENANTS}`;
  const unitOf = (agent: number) => `ou-${Math.floor(agent / PER_UNIT)}`;
  const managers = Array.from({ length: Math.ceil(AGENTS / PER_UNIT) }, (_, u) => {
    const t = tenantOf(u * PER_UNIT);
    const data = { orgUnitId: `ou-${u}`, manager: { managerId: `m-${u}`, name: `Manager ${u}`, email: `m-${u}@example.com` } };
    return { key: `tenant-${t}`, value: envelope(t, `tenant-${t}`, 'tenant.org-unit-manager-assigned', data) };
  });
  const agents = Array.from({ length: AGENTS }, (_, a) => {
    const data = {
      agentId: `a-${a}`,
      orgUnitId: unitOf(a),
      name: `Agent ${a}`,
      workNumber: String(1000 + (a % 9000)),
      softphoneNumber: '80001',
      authMode: 'uap',
    };
    return { key: `agent-${a}`, value: envelope(tenantOf(a), `agent-${a}`, 'agent.created', data) };
  });
  const history = Array.from({ length: HISTORY }, (_, i) => {
    const a = i % AGENTS;
    const type = i % 2 === 0 ? 'agent.signed-in' : 'agent.signed-out';
    return { key: `agent-${a}`, value: envelope(tenantOf(a), `agent-${a}`, type, { agentId: `a-${a}` }) };
  });
  const seeding = performance.now();
  await publish(prefix, 'tenant', 'tenant-svc', managers);
  await publish(prefix, 'agent', 'agent-svc', [...agents, ...history]);
  const seeded = performance.now() - seeding;

  const first = await timedStart(prefix);
  await first.stop(); // saves the checkpoint
  const next = await timedStart(prefix);
  await next.stop();
  table([
    { figure: 'directory', value: `${TENANTS} tenants, ${AGENTS} agents, ${managers.length} managers, ${HISTORY} more agent events` },
    { figure: 'seeding Kafka', value: fmt(seeded, 0) + ' ms' },
    {
      figure: 'start without a checkpoint (topics from their beginning)',
      value: `${fmt(first.ms, 0)} ms ${JSON.stringify(first.directory)}`,
    },
    { figure: 'events read per second without a checkpoint', value: fmt((HISTORY + AGENTS + managers.length) / (first.ms / 1000), 0) },
    { figure: 'start from the checkpoint', value: `${fmt(next.ms, 0)} ms ${JSON.stringify(next.directory)}` },
  ]);
}
