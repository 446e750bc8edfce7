import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Partitioners, type Producer } from 'kafkajs';
import pg from 'pg';
import { topics } from '@softphone/contracts';
import { launchService, type LaunchedService } from '@softphone/service-catalog';
import { serviceTestEnv, startTestService, type TestService } from '@softphone/service-testing';
import {
  bindTestGateway,
  createTestDatabase,
  eventually,
  freePort,
  testKafka,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { samplesFrom, uniqueId } from './support.js';

const CALLS = 30;
const SAMPLES = 45;
const PARTITIONS = 6;
/** Every 5th call on a poor line (4 % lost): its level and its alert change once, like the others' level. */
const poor = (i: number) => i % 5 === 0;

/**
 * Two, then three instances share one tenant's samples topic while samples
 * flow: one joins midway, one is killed (no last checkpoint), one is stopped
 * (last checkpoint, then its partitions move). Every call still has exactly one
 * measured second per elapsed second and each of its events once.
 */
describe('quality-svc: the meters of a samples partition move between instances without losing or repeating a second', () => {
  let db: TestDatabase;
  let first: TestService;
  let third: TestService | undefined;
  let second: LaunchedService | undefined;
  let producer: Producer;
  let pool: pg.Pool;
  const prefix = uniqueTopicPrefix('rebalance');
  const tenantId = uniqueId('tenant');
  const callIds = Array.from({ length: CALLS }, (_, i) => `call-${i}`);

  beforeAll(async () => {
    db = await createTestDatabase('quality');
    first = await startTestService({
      defaults: QUALITY_SERVICE,
      module: qualityServiceModule,
      database: db,
      topicPrefix: prefix,
      instanceId: 'q1',
    });
    await bindTestGateway(prefix, tenantId, 'gateway-1', undefined, PARTITIONS);
    producer = (await testKafka('gateway-1')).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // The calls, as call-svc's events make them known.
    await pool.query(`INSERT INTO calls (tenant_id, call_id) SELECT $1, unnest($2::text[])`, [tenantId, callIds]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await second?.stop('SIGKILL');
    await third?.close();
    await first?.close();
    await pool?.end();
    await db?.drop();
  });

  it('keeps every second and every event exactly once across a join, a crash and a stop', async () => {
    const start = new Date(Date.now() - 25_000);
    const samples = callIds.map((_, i) => samplesFrom(start, SAMPLES, poor(i) ? { lost: () => 2 } : {}));
    const send = async (k: number) => {
      await producer.send({
        topic: topics(prefix).qualitySamples(tenantId),
        messages: callIds.map((callId, i) => ({
          key: callId,
          value: JSON.stringify({ tenantId, calls: [{ callId, samples: [samples[i][k]] }] }),
        })),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    for (let k = 0; k < 15; k++) await send(k);
    // A second instance joins: the partitions are shared.
    second = await launchService({
      service: 'quality-svc',
      port: await freePort(),
      instance: 'q2',
      env: { ...(await serviceTestEnv('quality-svc', db, prefix)), LOG_LEVEL: 'error' },
    });
    for (let k = 15; k < 30; k++) await send(k);
    // It crashes: its partitions come back (session timeout) from their last checkpoint.
    await second.stop('SIGKILL');
    for (let k = 30; k < SAMPLES; k++) await send(k);
    // A third joins and the first stops: last checkpoint, then the third has everything.
    third = await startTestService({
      defaults: QUALITY_SERVICE,
      module: qualityServiceModule,
      database: db,
      topicPrefix: prefix,
      instanceId: 'q3',
    });
    await first.close();

    const expected = samples[0].slice(1).map((s) => s.at);
    await eventually(async () => {
      const { rows } = await pool.query<{ call_id: string; seconds: string[] }>(
        `SELECT m.call_id, array_agg(to_char(q.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ORDER BY q.at) AS seconds
           FROM call_meters m JOIN quality_seconds q ON q.meter_id = m.meter_id WHERE m.tenant_id = $1 GROUP BY m.call_id`,
        [tenantId],
      );
      expect(rows).toHaveLength(CALLS);
      for (const row of rows) expect(row.seconds).toEqual(expected);
    }, 60_000);
    const { rows: events } = await pool.query<{ stream_id: string; types: string[] }>(
      `SELECT stream_id, array_agg(type ORDER BY stream_version) AS types FROM es_events WHERE tenant_id = $1 GROUP BY stream_id`,
      [tenantId],
    );
    expect(events).toHaveLength(CALLS);
    for (const { stream_id, types } of events) {
      const i = callIds.indexOf(stream_id.split(':')[1]);
      expect(types).toEqual(poor(i) ? ['quality.level-changed', 'quality.call-went-poor'] : ['quality.level-changed']);
    }
    // Owned by the first, the second, the first again (after the crash), the third.
    const { rows: epochs } = await pool.query<{ epoch: string }>('SELECT max(epoch)::text AS epoch FROM quality_partitions');
    expect(Number(epochs[0].epoch)).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
