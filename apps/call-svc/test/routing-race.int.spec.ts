import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startTestService, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { CALL_SERVICE, callServiceModule } from '../src/call-service.js';
import { upstream } from './upstream.js';

describe('call-svc: two instances routing at the same moment', () => {
  let db: TestDatabase;
  let a: TestService;
  let b: TestService;
  let sql: pg.Client;
  const prefix = uniqueTopicPrefix('race');
  const play = upstream(prefix, () => db.url);

  beforeAll(async () => {
    db = await createTestDatabase('race');
    [a, b] = await Promise.all(
      ['a', 'b'].map((instanceId) =>
        startTestService({ defaults: CALL_SERVICE, module: callServiceModule, database: db, topicPrefix: prefix, instanceId }),
      ),
    );
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  it('never gives an agent a second call: each idle agent gets exactly one, the other calls wait', async () => {
    const tenant = await play.tenant();
    const agents = await Promise.all([1, 2, 3].map(() => play.agent(tenant.tenantId)));
    await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM agents WHERE tenant_id = $1 AND signed_in AND phones = '{"1": "registered"}'`,
        [tenant.tenantId],
      );
      expect(rows[0].n).toBe(3);
    });

    const calls = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).http.post('/calls/inbound', { caller: `55501${String(i).padStart(2, '0')}`, dialed: '4001' }, tenant.gateway),
      ),
    );
    expect(calls.map((c) => c.status)).toEqual(Array(12).fill(201));
    // A routing offers the call first in line in the queue, not always its own: read where the calls ended up.
    await eventually(async () => {
      const { rows: states } = await sql.query<{ status: string; agent_id: string | null }>(
        'SELECT status, agent_id FROM calls_view WHERE call_id = ANY($1)',
        [calls.map((c) => c.body.callId)],
      );
      const offered = states.filter((c) => c.status === 'offered');
      expect(offered).toHaveLength(3);
      expect(new Set(offered.map((c) => c.agent_id))).toEqual(new Set(agents.map((x) => x.agentId)));
      expect(states.filter((c) => c.status === 'queued')).toHaveLength(9);
    });

    // The agent lines agree: one reservation per agent, none released.
    const { rows } = await sql.query(
      `SELECT stream_id, count(*)::int AS reservations FROM es_events WHERE type = 'call.agent-line-reserved' AND stream_id = ANY($1) GROUP BY stream_id`,
      [agents.map((x) => `agent-line-${x.agentId}`)],
    );
    expect(rows.map((r) => r.reservations)).toEqual([1, 1, 1]);
  });
});
