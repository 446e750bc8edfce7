/**
 * The live channel under load: an edge-svc process, CLIENTS browsers connected over WebSocket (tenant admins: every
 * event goes to every one), events appended to a PostgreSQL event store and relayed to Kafka by the outbox relay.
 * - event committed (append returned) → delivered to each client: p50 / p99 / max over every delivery;
 * - connections one instance holds: CAPACITY idle connections, the edge's resident memory per connection.
 * Clients run in this process, the edge in its own (a core each).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { topics } from '@softphone/contracts';
import { EVENT_STORE_MIGRATIONS, openDatabase, PostgresEventStore } from '@softphone/event-store';
import { KafkaBroker, OutboxRelay } from '@softphone/messaging';
import { kafkaCredentials, provisionTestKafka, testToken } from '@softphone/testing';
import { startServiceProcess } from '../service-process.js';
import { benchDatabase, fmt, KAFKA_BROKERS, percentile, table } from '../support.js';

const CLIENTS = Number(process.env.BENCH_LIVE_CLIENTS ?? 1_000);
const CAPACITY = Number(process.env.BENCH_LIVE_CAPACITY ?? 5_000);
const EVENTS_PER_SECOND = Number(process.env.BENCH_LIVE_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 15);
const TENANT = 'bench-tenant';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Opens a live connection and resolves once it is ready; `onEvent` gets each event frame's call id. */
function connect(url: string, token: string, onEvent?: (callId: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ event: 'auth', data: { token } })));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; event?: { data: { callId?: string } } };
      if (frame.type === 'ready') resolve(socket);
      else if (frame.type === 'event' && onEvent && frame.event?.data.callId) onEvent(frame.event.data.callId);
      else if (frame.type === 'error') reject(new Error(data.toString()));
    });
  });
}

async function connectMany(n: number, url: string, token: string, onEvent?: (callId: string) => void): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += 100) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => connect(url, token, onEvent)))));
  }
  return sockets;
}

export default async function liveBench(): Promise<void> {
  const db = await benchDatabase('live');
  const dataSource = await openDatabase({ url: db.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: 4 });
  const store = new PostgresEventStore(dataSource);
  const prefix = `benchlive${Date.now()}.`;
  const t = topics(prefix);
  await provisionTestKafka(prefix, KAFKA_BROKERS, 6);
  const broker = new KafkaBroker({ brokers: KAFKA_BROKERS, clientId: 'bench-live', credentials: await kafkaCredentials('admin') });
  const relay = new OutboxRelay(store, dataSource, broker, { name: 'bench-live', topics: t, batchSize: 100 });
  relay.start();
  const edge = await startServiceProcess('edge-svc', { KAFKA_TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: '6' });
  const liveUrl = `${edge.url.replace('http', 'ws')}/live`;
  const token = await testToken({ role: 'tenant-admin', tenantId: TENANT, subject: 'bench' });
  const sockets: WebSocket[] = [];
  try {
    // Latency: CLIENTS connections, EVENTS_PER_SECOND events for SECONDS seconds.
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    const rssIdle = rssMb(edge.pid);
    sockets.push(
      ...(await connectMany(CLIENTS, liveUrl, token, (callId) => {
        const at = committedAt.get(callId);
        if (at !== undefined) latencies.push(performance.now() - at);
      })),
    );
    await sleep(1_000);
    const rssLoaded = rssMb(edge.pid);
    const total = EVENTS_PER_SECOND * SECONDS;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const callId = `c-${i}`;
      await store.append(
        `call-${callId}`,
        0,
        [
          {
            type: 'call.placed',
            data: { callId, agentId: 'a-1', phoneId: 1, from: '80001', to: '5550100', media: 'voice', at: new Date().toISOString() },
          },
        ],
        { tenantId: TENANT, correlationId: callId },
      );
      committedAt.set(callId, performance.now());
      const next = started + ((i + 1) * 1000) / EVENTS_PER_SECOND;
      await sleep(Math.max(0, next - performance.now()));
    }
    const expected = total * CLIENTS;
    for (const deadline = Date.now() + 20_000; latencies.length < expected && Date.now() < deadline;) await sleep(100);
    const sorted = [...latencies].sort((a, b) => a - b);

    // Capacity: idle connections up to CAPACITY on the one instance.
    let held = sockets.length;
    let refused = '';
    try {
      sockets.push(...(await connectMany(CAPACITY - held, liveUrl, token)));
      held = sockets.length;
    } catch (error) {
      refused = (error as Error).message;
      held = sockets.length;
    }
    await sleep(1_000);
    const rssCapacity = rssMb(edge.pid);
    const healthy = (await fetch(`${edge.url}/health`)).ok;

    table([
      {
        figure: `committed → delivered, p50 (${CLIENTS} clients, ${EVENTS_PER_SECOND} events/s)`,
        value: `${fmt(percentile(sorted, 50), 1)} ms`,
        goal: '',
      },
      { figure: 'committed → delivered, p99', value: `${fmt(percentile(sorted, 99), 1)} ms`, goal: '≤ 100 ms' },
      { figure: 'committed → delivered, max', value: `${fmt(sorted.at(-1) ?? NaN, 1)} ms`, goal: '' },
      { figure: 'deliveries', value: `${latencies.length} of ${expected}`, goal: 'all' },
      {
        figure: `edge memory per connection (${CLIENTS} connections)`,
        value: `${fmt(((rssLoaded - rssIdle) * 1024) / CLIENTS)} kB`,
        goal: '',
      },
      {
        figure: 'connections held by one instance',
        value: `${held}${refused ? ` (stopped: ${refused.slice(0, 60)})` : ''}, healthy: ${healthy}`,
        goal: '',
      },
      {
        figure: `edge memory at ${held} connections`,
        value: `${fmt(rssCapacity)} MB (idle ${fmt(rssIdle)} MB: ${fmt(((rssCapacity - rssIdle) * 1024) / held)} kB each)`,
        goal: '',
      },
    ]);
  } finally {
    for (const socket of sockets) socket.terminate();
    await edge.stop();
    await relay.stop();
    await broker.close();
    await dataSource.destroy();
    await db.drop();
  }
}
