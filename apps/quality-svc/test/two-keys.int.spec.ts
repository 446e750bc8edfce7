import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Producer } from 'kafkajs';
import pg from 'pg';
import { topics } from '@softphone/contracts';
import { startTestService, type TestService } from '@softphone/service-testing';
import { bindTestGateway, createTestDatabase, eventually, testKafka, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { samplesFrom, uniqueId } from './support.js';

const SAMPLES = 40;
const PER_MESSAGE = 4;
/** Blocks of 8 seconds, good then poor (4 % lost): the call's level keeps changing. */
const poorEvery8 = (offset: number) => ({ lost: (i: number) => (Math.floor((i + offset) / 8) % 2 === 1 ? 2 : 0) });

/**
 * A call reported under two keys (a gateway's packed messages and its agent's
 * browser, say) is metered by two partitions' owners, each appending to its
 * call quality stream: the one whose view is stale must not fail its whole
 * checkpoint again and again, which would stall every other call of its partition.
 */
describe('quality-svc: a call metered on two partitions stalls neither', () => {
  let db: TestDatabase;
  let service: TestService;
  let producer: Producer;
  let pool: pg.Pool;
  const prefix = uniqueTopicPrefix('two-keys');
  const tenantId = uniqueId('tenant');
  const calls = { both: 'call-both', first: 'call-first', second: 'call-second' };

  beforeAll(async () => {
    db = await createTestDatabase('quality');
    service = await startTestService({ defaults: QUALITY_SERVICE, module: qualityServiceModule, database: db, topicPrefix: prefix });
    await bindTestGateway(prefix, tenantId, 'gateway-1', undefined, 2);
    producer = (await testKafka('gateway-1')).producer();
    await producer.connect();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    await pool.query(`INSERT INTO calls (tenant_id, call_id) SELECT $1, unnest($2::text[])`, [tenantId, Object.values(calls)]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
    await pool?.end();
    await db?.drop();
  });

  it('writes every second of the other calls of both partitions', async () => {
    const start = new Date(Date.now() - SAMPLES * 1000);
    const series = {
      both0: samplesFrom(start, SAMPLES, poorEvery8(0)),
      both1: samplesFrom(start, SAMPLES, poorEvery8(4)),
      first: samplesFrom(start, SAMPLES),
      second: samplesFrom(start, SAMPLES),
    };
    const topic = topics(prefix).qualitySamples(tenantId);
    for (let k = 0; k < SAMPLES; k += PER_MESSAGE) {
      const message = (partition: number, callId: string, samples: typeof series.first) => ({
        partition,
        value: JSON.stringify({ tenantId, calls: [{ callId, samples: samples.slice(k, k + PER_MESSAGE) }] }),
      });
      await producer.send({
        topic,
        messages: [
          message(0, calls.both, series.both0),
          message(1, calls.both, series.both1),
          message(0, calls.first, series.first),
          message(1, calls.second, series.second),
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    await eventually(async () => {
      const { rows } = await pool.query<{ call_id: string; seconds: number }>(
        `SELECT m.call_id, count(*)::int AS seconds FROM call_meters m JOIN quality_seconds q ON q.meter_id = m.meter_id
          WHERE m.tenant_id = $1 AND m.call_id = ANY($2::text[]) GROUP BY m.call_id ORDER BY m.call_id`,
        [tenantId, [calls.first, calls.second]],
      );
      expect(rows).toEqual([
        { call_id: calls.first, seconds: SAMPLES - 1 },
        { call_id: calls.second, seconds: SAMPLES - 1 },
      ]);
    }, 20_000);
    // The call of both partitions has its level events, each version once (the store refuses a stale append).
    const { rows: events } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM es_events WHERE tenant_id = $1 AND stream_id LIKE $2`,
      [tenantId, `%${calls.both}`],
    );
    expect(events[0].n).toBeGreaterThan(1);
  }, 60_000);
});
