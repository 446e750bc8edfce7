/**
 * call-svc as two processes: its HTTP API, consumers and dispatchers (CALL_SVC_ROLE=api), and its durable timers
 * (CALL_SVC_ROLE=timers), each with a core of its own:
 * - auto-answer lateness: OFFERS agents idle, then OFFERS inbound calls at
 *   once; each is recorded (arrivals in batches), offered by the queue's
 *   dispatcher (up to 50 per pass, oldest first) and auto-answered by the
 *   durable timer 2 s after its offer.
 *   Lateness = the append of call.connected (es_events.occurred_at) minus the
 *   offer's autoAnswerDueAt: p50 / p99 / max (target p99 ≤ 50 ms); and, from
 *   the scheduler's histogram, how many committed within 50 ms;
 * - placements: agents place outbound calls (and hang up, to free their line)
 *   from WRITERS concurrent loops for SECONDS; placements per second.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DomainEvent } from '@softphone/contracts';
import { publishUpstream, testEnv, testToken } from '@softphone/testing';
import { benchDatabase, fmt, percentile, pooled, table, throughput } from '../support.js';
import { startServiceProcess } from '../service-process.js';
import { printSchedulerTrace, schedulerTrace } from '../scheduler-trace.js';

const OFFERS = Number(process.env.BENCH_CALL_OFFERS ?? 2_000);
const WRITERS = Number(process.env.BENCH_CALL_WRITERS ?? 16);
const SECONDS = Number(process.env.BENCH_CALL_SECONDS ?? 10);

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The tenant's queue (access code 4001), a 60-second auto-answer guard (the softphones here never confirm media:
 * the calls must stay talking until the bench hangs them up) and `count` agents signed in with a registered phone,
 * as tenant-svc and agent-svc publish them.
 */
async function seed(prefix: string, tenantId: string, count: number): Promise<string[]> {
  const agents = Array.from({ length: count }, () => randomUUID());
  const events = [
    {
      event: {
        type: 'tenant.skill-queue-created',
        data: { skillQueueId: 'q', name: 'Voice', mediaType: 'voice', accessCode: '4001' },
      } as DomainEvent,
      streamId: `tenant-${tenantId}`,
      streamVersion: 1,
    },
    {
      event: {
        type: 'tenant.call-handling-changed',
        data: { tenantId, autoAnswerGuardSeconds: 60, ringTimeoutSeconds: 30, wrapUpSeconds: 0 },
      } as DomainEvent,
      streamId: `tenant-${tenantId}`,
      streamVersion: 2,
    },
    ...agents.flatMap((agentId, i) =>
      (
        [
          {
            type: 'agent.created',
            data: { agentId, orgUnitId: 'ou', name: `Agent ${i}`, workNumber: String(i), softphoneNumber: `88${i}`, authMode: 'uap' },
          },
          { type: 'agent.skill-queues-bound', data: { agentId, skillQueueIds: ['q'], voiceRelatedSkillQueueIds: ['q'] } },
          { type: 'agent.signed-in', data: { agentId } },
          {
            type: 'agent.softphone-registration-requested',
            data: {
              agentId,
              credentialId: `k${i}`,
              trigger: 'sign-in',
              phones: [{ phoneId: 1, number: `88${i}`, gatewayId: 'gw', gatewayAddress: 'wss://gw' }],
            },
          },
          { type: 'agent.softphone-registered', data: { agentId, phoneId: 1 } },
        ] as DomainEvent[]
      ).map((event, v) => ({ event, streamId: `agent-${agentId}`, streamVersion: v + 1 })),
    ),
  ];
  await publishUpstream(
    prefix,
    events.map((e) => ({ ...e, tenantId })),
  );
  return agents;
}

/**
 * The scheduler's own view, after each batch's commit (occurred_at above is the
 * append instant, a little before its batch commits): how many auto-answers
 * committed within 50 ms of their due time (histogram bucket le=0.05).
 */
async function autoAnswersCommittedWithin50ms(serviceUrl: string): Promise<number> {
  const metrics = await (await fetch(`${serviceUrl}/metrics`, { headers: { authorization: `Bearer ${testEnv.metricsToken}` } })).text();
  const bucket = metrics
    .split('\n')
    .find(
      (line) =>
        line.startsWith('scheduler_job_lateness_seconds_bucket{') && line.includes('le="0.05"') && line.includes('kind="call.auto-answer"'),
    );
  if (!bucket) throw new Error('no scheduler_job_lateness_seconds bucket for call.auto-answer in /metrics');
  return Number(bucket.split(' ').at(-1));
}

export default async function callBench(): Promise<void> {
  const db = await benchDatabase('call');
  const prefix = `bench_call_${randomUUID().slice(0, 8)}.`;
  const trace = schedulerTrace();
  const role = (name: 'api' | 'timers', env: Record<string, string> = {}) =>
    startServiceProcess('call-svc', {
      DATABASE_URL: db.url,
      KAFKA_TOPIC_PREFIX: prefix,
      CALL_SVC_ROLE: name,
      INSTANCE_ID: `call-svc-${name}`,
      ...env,
    });
  const service = await role('api');
  const timers = await role('timers', trace.env);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const count = async (query: string, params: unknown[]) => Number((await sql.query<{ n: string }>(query, params)).rows[0].n);
  try {
    const tenantId = randomUUID();
    const agents = await seed(prefix, tenantId, OFFERS);
    await waitFor(
      'agents known',
      async () => (await count(`SELECT count(*) AS n FROM agents WHERE phones = '{"1": "registered"}'`, [])) === OFFERS,
    );
    await waitFor('the tenant guard known', async () => (await count('SELECT count(*) AS n FROM tenant_settings', [])) === 1);
    const gateway = await testToken({ subject: 'gw', role: 'gateway', tenantId });

    // Auto-answer lateness at OFFERS concurrent offers.
    const responses = await Promise.all(
      Array.from({ length: OFFERS }, (_, i) =>
        fetch(`${service.url}/calls/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway}` },
          body: JSON.stringify({ caller: `5550${i}`, dialed: '4001' }),
        }).then((r) => r.json() as Promise<{ status: string | number }>),
      ),
    );
    const offeredAtOnce = responses.filter((r) => r.status === 'offered').length;
    // An arrival the service refused (503: no database connection within its timeout) is a figure, not a crash.
    const refused = responses.filter((r) => typeof r.status === 'number').length;
    const accepted = OFFERS - refused;
    await waitFor(
      'every call accepted auto-answered',
      async () => (await count(`SELECT count(*) AS n FROM calls_view WHERE status = 'talking'`, [])) === accepted,
    ).catch(async (error: Error) => {
      const states = await sql.query(`SELECT status, count(*) FROM calls_view GROUP BY status`);
      process.stdout.write(`${error.message}: calls ${JSON.stringify(states.rows)}\n`);
    });
    const offered = await count(`SELECT count(*) AS n FROM calls_view WHERE status = 'talking'`, []);
    const { rows } = await sql.query<{ ms: number }>(
      `SELECT extract(epoch FROM e.occurred_at - v.auto_answer_due_at) * 1000 AS ms
       FROM calls_view v JOIN es_events e ON e.stream_id = 'call-' || v.call_id AND e.type = 'call.connected' ORDER BY 1`,
    );
    const lateness = rows.map((r) => Number(r.ms));
    const [spread] = (
      await sql.query<{ offers: number; answers: number }>(
        `SELECT extract(epoch FROM max(offered_at) - min(started_at)) AS offers,
                extract(epoch FROM max(connected_at) - min(offered_at)) AS answers FROM calls_view`,
      )
    ).rows;
    process.stdout.write(
      `${offered} calls answered: offered within ${fmt(Number(spread.offers), 1)} s of the first arrival, answered within ${fmt(Number(spread.answers), 1)} s of the first offer\n`,
    );
    const committedInTarget = await autoAnswersCommittedWithin50ms(timers.url);

    // Placements per second: hang up every inbound call first, then agents place and hang up outbound calls.
    const talking = (
      await sql.query<{ call_id: string; agent_id: string }>(`SELECT call_id, agent_id FROM calls_view WHERE status = 'talking'`)
    ).rows;
    const tokens = await Promise.all(agents.map((agentId) => testToken({ subject: agentId, role: 'agent', tenantId })));
    const tokenOf = new Map(agents.map((agentId, i) => [agentId, tokens[i]]));
    const post = (path: string, token: string, body: unknown = {}) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ callId: string; status: string | number }>);
    // Clean-up, not measured: a few at a time, as agents would.
    // (by the customer: a call given back to its queue meanwhile may be another agent's by now)
    const hungUp = await pooled(talking.length, 32, (i) => post(`/calls/${talking[i].call_id}/customer-hung-up`, gateway));
    const notEnded = hungUp.find((r) => r.status !== 'ended');
    if (notEnded) throw new Error(`hang-up refused: ${JSON.stringify(notEnded)}`);
    // Agents whose line is free (one still offered when the wait above gave up, or not responding, is not).
    const busy = new Set(
      (await sql.query<{ agent_id: string }>(`SELECT agent_id FROM agent_lines WHERE NOT free`)).rows.map((r) => r.agent_id),
    );
    const free = agents.filter((agentId) => !busy.has(agentId));
    const placements = await throughput(WRITERS, SECONDS * 1000, async (writer) => {
      const token = tokenOf.get(free[writer])!;
      const placed = await post('/calls', token, { to: '5550199' });
      if (placed.status !== 'ringing-agent') throw new Error(`placement refused: ${JSON.stringify(placed)}`);
      await post(`/calls/${placed.callId}/hang-up`, token);
    });

    table([
      {
        arrivals: OFFERS,
        refused,
        'answered (talking)': offered,
        'offered at once': offeredAtOnce,
        'lateness p50 ms': fmt(percentile(lateness, 50), 1),
        'p99 ms': fmt(percentile(lateness, 99), 1),
        'max ms': fmt(lateness.at(-1) ?? NaN, 1),
        'over 50 ms': lateness.filter((ms) => ms > 50).length,
        'committed ≤ 50 ms': `${committedInTarget}/${offered}`,
        'placements/s (place + hang-up)': fmt(placements, 0),
        writers: WRITERS,
      },
    ]);
    const p99 = percentile(lateness, 99);
    process.stdout.write('\nissue 13, measured now against the goal (indicative: other work on this machine shares its 2 cores):\n');
    table([
      {
        figure: 'auto-answer lateness at concurrent offers',
        'at the start': 'p99 22 ms at 200 offers',
        now: `p99 ${fmt(p99, 1)} ms, ${offered} of ${OFFERS} arrivals at once answered (${refused} refused)`,
        goal: 'p99 ≤ 25 ms at 2,000 offers',
        met: p99 <= 25 && offered >= 2_000 ? 'yes' : 'NO',
      },
    ]);
  } finally {
    await sql.end();
    await service.stop();
    await timers.stop();
    await db.drop();
    await printSchedulerTrace(trace.file, 'call.auto-answer');
  }
}
