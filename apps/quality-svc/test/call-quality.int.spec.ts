import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { topics } from '@softphone/contracts';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import {
  bindTestGateway,
  collect,
  createTestDatabase,
  eventually,
  testKafka,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { register } from 'prom-client';
import { samplesFrom, uniqueId, upstream } from './support.js';

describe('quality-svc: per-second quality of calls, over REST and from the samples topic', () => {
  let db: TestDatabase;
  let svc: TestService;
  let producer: Producer;
  const prefix = uniqueTopicPrefix('quality');
  const t = topics(prefix);
  const tenantId = uniqueId('tenant');
  const calls = upstream(prefix, tenantId);
  let gateway: string;
  let admin: string;
  /** Samples are of now: within 60 s of the service clock. */
  const start = () => new Date(Date.now() - 40_000);

  const events = async (callId: string, count: number) => {
    const key = `call-quality-${tenantId}:${callId}`;
    const messages = await collect(t.events('quality'), (m) => m.filter((x) => x.key === key).length >= count);
    return messages.filter((m) => m.key === key).map((m) => JSON.parse(m.value));
  };

  /** A call of the tenant (call-svc's call.arrived), once quality-svc knows it. */
  const arrived = async (...callIds: string[]) => {
    for (const callId of callIds) await calls.arrived(callId);
    for (const callId of callIds)
      await eventually(async () => expect((await svc.http.get(`/calls/${callId}/quality`, admin)).status).toBe(200));
  };

  /** The call's history once `count` seconds are readable (measured by the partition's owner and checkpointed). */
  const historyOf = async (callId: string, count: number) => {
    let body: { series: Array<{ at: string; flags: string[]; [field: string]: unknown }>; summary: Record<string, unknown> } | undefined;
    await eventually(async () => {
      body = (await svc.http.get(`/calls/${callId}/quality/history`, admin)).body;
      expect(body!.series.length).toBeGreaterThanOrEqual(count);
    });
    return body!;
  };

  /** Samples taken by the meters (checkpointed) with this outcome, or with any. */
  const samplesCounted = async (outcome?: string) =>
    (await register.getSingleMetric('quality_samples_total')!.get()).values
      .filter((v) => outcome === undefined || v.labels.outcome === outcome)
      .reduce((n, v) => n + v.value, 0);

  beforeAll(async () => {
    db = await createTestDatabase('quality');
    svc = await startTestService({ defaults: QUALITY_SERVICE, module: qualityServiceModule, database: db, topicPrefix: prefix });
    gateway = await tokenFor({ subject: 'gw-1', role: 'gateway', tenantId });
    admin = await tokenFor({ subject: 'admin-1', role: 'tenant-admin', tenantId });
    // The tenant's gateway principal, bound to the tenant's samples topic as production provisioning binds it.
    await bindTestGateway(prefix, tenantId, 'gateway-1');
    producer = (await testKafka('gateway-1')).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await svc?.close();
    await db?.drop();
  });

  it('measures each second from the counters (Table 2), rates it (Table 1) and shows the live quality and the history', async () => {
    const callId = uniqueId('call');
    const from = start();
    // Seconds 1-3: nothing lost; second 4: 1 of 50 lost (2 %, poor); second 5: 20 ms jitter (poor).
    const samples = samplesFrom(from, 5, { lost: (i) => (i === 3 ? 1 : 0) });
    samples[4].jitterMs = 20;
    await arrived(callId);
    const posted = await svc.http.post(`/calls/${callId}/quality/samples`, { samples }, gateway);
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ callId, accepted: 5 });
    await historyOf(callId, 4);

    const live = await svc.http.get(`/calls/${callId}/quality`, admin);
    // The displayed level (hysteresis) and the latest second's level, each named.
    expect(live.body).toMatchObject({ callId, agentId: null, status: 'live', level: 'good', displayedLevel: 'good', poorSince: null });
    expect(live.body.latestSecond).toEqual({
      at: samples[4].at,
      level: 'poor',
      flags: [],
      kind: 'audio',
      side: 'agent-receive',
      lossRate: 0,
      jitterMs: 20,
      oneWayDelayMs: 15,
      mos: expect.any(Number),
      packetsReceived: 50,
      packetsSent: 50,
      streams: [expect.objectContaining({ kind: 'audio', side: 'agent-receive', level: 'poor', jitterMs: 20 })],
    });

    const history = await svc.http.get(`/calls/${callId}/quality/history`, admin);
    expect(history.body.series.map((s: { level: string; lossRate: number }) => [s.level, s.lossRate])).toEqual([
      ['good', 0],
      ['good', 0],
      ['poor', 0.02],
      ['poor', 0],
    ]);
    expect(history.body.summary).toMatchObject({
      worstLevel: 'poor',
      secondsByLevel: { good: 2, medium: 0, poor: 2, bad: 0 },
      unratedSeconds: 0,
      firstSecond: samples[1].at,
      lastSecond: samples[4].at,
    });
    expect(history.body.summary.averages.lossRate).toBeCloseTo(0.005, 6);

    // The same seconds on the ephemeral seconds topic, packed per samples partition, for live charts.
    const secondsOf = (messages: Array<{ value: string }>) =>
      messages.flatMap((m) => {
        const message = JSON.parse(m.value) as { tenantId: string; seconds: Array<{ callId: string }> };
        return message.seconds.filter((x) => x.callId === callId).map((x) => ({ tenant: message.tenantId, ...x }));
      });
    const published = secondsOf(await collect(t.qualitySeconds, (m) => secondsOf(m).length >= 4));
    expect(published).toEqual(
      samples.slice(1).map((sample, i) => ({
        tenant: tenantId,
        callId,
        agentId: null,
        second: sample.at,
        level: ['good', 'good', 'poor', 'poor'][i],
        metrics: expect.objectContaining({ lossRate: i === 2 ? 0.02 : 0, jitterMs: i === 3 ? 20 : 2, oneWayDelayMs: 15 }),
        flags: [],
      })),
    );

    const page = await svc.http.get(`/calls/${callId}/quality/history?limit=3`, admin);
    expect(page.body.series).toHaveLength(3);
    expect(page.body.next).toBe(samples[4].at);
    const rest = await svc.http.get(`/calls/${callId}/quality/history?from=${encodeURIComponent(page.body.next)}`, admin);
    expect(rest.body.series.map((s: { at: string }) => s.at)).toEqual([samples[4].at]);
  });

  it('publishes level changes with hysteresis: one event per confirmed change, none for a flapping line', async () => {
    const callId = uniqueId('call');
    // Good for 3 s, then poor for 4 s (confirmed at the 3rd), then flapping good/poor.
    const lost = (i: number) => (i >= 4 && i <= 7 ? 2 : i >= 8 && i % 2 === 0 ? 2 : 0);
    await arrived(callId);
    await svc.http.post(`/calls/${callId}/quality/samples`, { samples: samplesFrom(start(), 20, { lost }) }, gateway);
    const published = await events(callId, 2);
    expect(published.map((e) => [e.type, e.data.from, e.data.to])).toEqual([
      ['quality.level-changed', null, 'good'],
      ['quality.level-changed', 'good', 'poor'],
    ]);
    expect(published[1].data).toMatchObject({ callId, agentId: null, metrics: { lossRate: 0.04 } });
    expect(published[1].tenantId).toBe(tenantId);
    expect((await svc.http.get(`/calls/${callId}/quality`, admin)).body.level).toBe('poor');
  });

  it('handles duplicates, out-of-order samples, holes (interpolated up to 5.5 s, not across more) and counter resets', async () => {
    const callId = uniqueId('call');
    const all = samplesFrom(start(), 20);
    await arrived(callId);
    const [duplicates, outOfOrder, gaps, resets] = await Promise.all(['duplicate', 'out-of-order', 'gap', 'reset'].map(samplesCounted));
    await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [all[2], all[0], all[1]] }, gateway);
    await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [all[1], all[2], all[5], all[12], all[13]] }, gateway);
    const reset = { ...all[14], packetsReceived: 3, packetsSent: 3 };
    await svc.http.post(
      `/calls/${callId}/quality/samples`,
      { samples: [reset, { ...all[15], packetsReceived: 53, packetsSent: 53 }] },
      gateway,
    );
    const history = await historyOf(callId, 7);
    expect(await Promise.all(['duplicate', 'out-of-order', 'gap', 'reset'].map(samplesCounted))).toEqual([
      duplicates + 1,
      outOfOrder + 1,
      gaps + 1,
      resets + 1,
    ]);
    expect(history.series.map((s: { at: string; flags: string[] }) => [s.at, s.flags])).toEqual([
      [all[1].at, []],
      [all[2].at, []],
      [all[3].at, ['interpolated']],
      [all[4].at, ['interpolated']],
      [all[5].at, []],
      [all[13].at, []],
      [all[15].at, []],
    ]);
  });

  it('applies concurrent retries of the same samples once', async () => {
    const callId = uniqueId('call');
    const samples = samplesFrom(start(), 30);
    await arrived(callId);
    const results = await Promise.all([0, 1, 2, 3].map(() => svc.http.post(`/calls/${callId}/quality/samples`, { samples }, gateway)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const history = await historyOf(callId, 29);
    expect(history.series).toHaveLength(29);
    expect(history.summary).toMatchObject({ secondsByLevel: { good: 29, medium: 0, poor: 0, bad: 0 } });
  });

  it('ingests the samples topic, applies a redelivered batch once, drops a bad call alone and dead-letters a malformed message', async () => {
    const [a, b] = [uniqueId('call'), uniqueId('call')];
    const samples = samplesFrom(start(), 6);
    await arrived(a, b);
    const report = (...calls: Array<{ callId: string; samples: typeof samples }>) => ({
      key: 'gw-1',
      value: JSON.stringify({ tenantId, calls }),
    });
    await producer.send({
      topic: t.qualitySamples(tenantId),
      messages: [
        report({ callId: a, samples: samples.slice(0, 3) }, { callId: b, samples: samples.slice(0, 2) }),
        report({ callId: a, samples: samples.slice(0, 3) }),
        { key: 'gw-1', value: JSON.stringify({ tenantId, calls: [{ callId: a, samples: [] }] }) },
        report({ callId: a, samples: samples.slice(3) }, { callId: b, samples: [{ ...samples[2], rttMs: 1e308 }] }),
        report({ callId: b, samples: samples.slice(2, 4) }),
      ],
    });
    await eventually(async () => {
      const history = await svc.http.get(`/calls/${a}/quality/history`, admin);
      expect(history.body.series.map((s: { at: string }) => s.at)).toEqual(samples.slice(1).map((s) => s.at));
    });
    const other = await svc.http.get(`/calls/${b}/quality/history`, admin);
    expect(other.body.series.map((s: { at: string }) => s.at)).toEqual(samples.slice(1, 4).map((s) => s.at));
    const dead = await collect(t.deadLetter('quality-svc.samples'), (m) => m.length >= 1);
    expect(dead[0].headers['dlq-error']).toBe('ContractViolation: invalid quality sample batch');
    expect(JSON.parse(dead[0].headers['dlq-issues'])[0].path).toEqual(['calls', 0, 'samples']);
  });

  it('attributes a call measured before its events to the agent, summarizes it when it ends and then discards its samples', async () => {
    const callId = uniqueId('call');
    const agentId = uniqueId('agent');
    const from = start();
    // Posted as the call is placed: the answer waits for call-svc's facts rather than refusing a call it does not know yet.
    const posting = svc.http.post(
      `/calls/${callId}/quality/samples`,
      { samples: samplesFrom(from, 4, { lost: (i) => (i === 3 ? 5 : 0) }) },
      gateway,
    );
    await calls.connected(callId, agentId);
    expect((await posting).status).toBe(202);
    await historyOf(callId, 3);
    await eventually(async () => expect((await svc.http.get(`/calls/${callId}/quality`, admin)).body.agentId).toBe(agentId));
    await calls.ended(callId, agentId);
    const [, summarized] = await events(callId, 2);
    expect(summarized).toMatchObject({
      type: 'quality.call-summarized',
      data: {
        callId,
        agentId,
        worstLevel: 'bad',
        secondsByLevel: { good: 2, medium: 0, poor: 0, bad: 1 },
        unratedSeconds: 0,
        averages: { lossRate: expect.any(Number), mos: expect.any(Number) },
      },
    });
    expect((await svc.http.get(`/calls/${callId}/quality`, admin)).body.status).toBe('ended');
    // Taken by the meter (its owner may learn of the end at its next checkpoint), never measured.
    const counted = await samplesCounted();
    const late = await svc.http.post(
      `/calls/${callId}/quality/samples`,
      { samples: samplesFrom(new Date(from.getTime() + 4000), 2) },
      gateway,
    );
    expect(late.status).toBe(202);
    await eventually(async () => expect(await samplesCounted()).toBe(counted + 2));
    expect((await svc.http.get(`/calls/${callId}/quality/history`, admin)).body.series).toHaveLength(3);
  });

  it('summarizes a call that never had a sample', async () => {
    const callId = uniqueId('call');
    await calls.ended(callId, null);
    const [summarized] = await events(callId, 1);
    expect(summarized.data).toEqual({
      callId,
      agentId: null,
      worstLevel: null,
      secondsByLevel: { good: 0, medium: 0, poor: 0, bad: 0 },
      unratedSeconds: 0,
      firstSecond: null,
      lastSecond: null,
      averages: null,
    });
  });

  it('ingests several calls in one request', async () => {
    const [a, b] = [uniqueId('call'), uniqueId('call')];
    await arrived(a, b);
    const result = await svc.http.post(
      '/quality/samples',
      {
        calls: [
          { callId: a, samples: samplesFrom(start(), 3) },
          { callId: b, samples: samplesFrom(start(), 2, { lost: () => 50 }) },
        ],
      },
      gateway,
    );
    expect(result.status).toBe(202);
    expect(result.body).toEqual({
      calls: [
        { callId: a, accepted: 3 },
        { callId: b, accepted: 2 },
      ],
      rejected: [],
    });
    expect((await historyOf(a, 2)).summary).toMatchObject({ worstLevel: 'good' });
    expect((await historyOf(b, 1)).summary).toMatchObject({ worstLevel: 'bad' });
  });

  it('refuses samples of a call the tenant does not have (404), alone in a bulk body', async () => {
    const [known, unknown] = [uniqueId('call'), uniqueId('call')];
    await arrived(known);
    const [sample] = samplesFrom(start(), 1);
    expect((await svc.http.post(`/calls/${unknown}/quality/samples`, { samples: [sample] }, gateway)).body).toMatchObject({
      status: 404,
      code: 'CALL_NOT_FOUND',
    });
    const bulk = await svc.http.post(
      '/quality/samples',
      {
        calls: [
          { callId: unknown, samples: [sample] },
          { callId: known, samples: [sample] },
        ],
      },
      gateway,
    );
    expect(bulk.status).toBe(202);
    expect(bulk.body).toEqual({
      calls: [{ callId: known, accepted: 1 }],
      rejected: [{ callId: unknown, field: 'calls[0].callId', path: ['calls', 0, 'callId'], message: `call ${unknown} was not found` }],
    });
    expect((await svc.http.post('/quality/samples', { calls: [{ callId: unknown, samples: [sample] }] }, gateway)).body).toMatchObject({
      status: 404,
      code: 'CALL_NOT_FOUND',
      field: 'calls[0].callId',
    });
  });

  it("refuses a bad call of a bulk body alone, naming its field, and keeps the others' samples", async () => {
    const [a, b, c] = [uniqueId('call'), uniqueId('call'), uniqueId('call')];
    const samples = samplesFrom(start(), 3);
    await arrived(a, b, c);
    const result = await svc.http.post(
      '/quality/samples',
      {
        calls: [
          { callId: a, samples },
          { callId: b, samples: [{ ...samples[0], jitterMs: 1e308 }] },
          {
            callId: c,
            samples: [
              { ...samples[0], packetsSent: 2 ** 31 },
              { ...samples[1], packetsSent: 2 ** 31 + 50 },
            ],
          },
        ],
      },
      gateway,
    );
    expect(result.status).toBe(202);
    expect(result.body.calls.map((r: { callId: string }) => r.callId).sort()).toEqual([a, c].sort());
    expect(result.body.rejected).toEqual([
      { callId: b, field: 'calls[1].samples[0].jitterMs', path: ['calls', 1, 'samples', 0, 'jitterMs'], message: expect.any(String) },
    ]);
    // Counts past int4 are stored and read back whole.
    const history = await historyOf(c, 1);
    expect(history.series[0]).toMatchObject({ packetsSent: 50, lossRate: 0, flags: [] });
  });

  it('rejects bad samples naming the field, keeps gateways to their tenant and agents to their own calls', async () => {
    const callId = uniqueId('call');
    const [sample] = samplesFrom(start(), 1);
    const bad = await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [{ ...sample, packetsSent: -1 }] }, gateway);
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'samples[0].packetsSent' });
    expect((await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [] }, gateway)).body).toMatchObject({
      status: 400,
      field: 'samples',
    });
    expect(
      (await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [{ ...sample, at: 'yesterday' }] }, gateway)).body.field,
    ).toBe('samples[0].at');
    const stale = { ...sample, at: new Date(Date.now() - 61_000).toISOString() };
    expect((await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [stale] }, gateway)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'samples[0].at',
    });
    expect((await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [{ ...sample, rttMs: 60_001 }] }, gateway)).body.field).toBe(
      'samples[0].rttMs',
    );
    const agent = await tokenFor({ subject: 'agent-x', role: 'agent', tenantId });
    // An agent posts only for its own current call: not known, not its own.
    expect((await svc.http.post(`/calls/${callId}/quality/samples`, { samples: [sample] }, agent)).body).toMatchObject({
      status: 404,
      code: 'CALL_NOT_FOUND',
    });
    expect((await svc.http.post('/quality/samples', { calls: [{ callId, samples: [sample] }] }, agent)).body).toMatchObject({
      status: 403,
      code: 'AUTH_ROLE_FORBIDDEN',
    });

    const agentId = uniqueId('agent');
    const mine = uniqueId('call');
    await calls.connected(mine, agentId);
    expect((await svc.http.post(`/calls/${mine}/quality/samples`, { samples: samplesFrom(start(), 2) }, gateway)).status).toBe(202);
    const own = await tokenFor({ subject: agentId, role: 'agent', tenantId });
    await eventually(async () => expect((await svc.http.get(`/calls/${mine}/quality`, own)).status).toBe(200));
    expect((await svc.http.get(`/calls/${mine}/quality`, agent)).body).toMatchObject({ status: 403, code: 'AUTH_OTHER_AGENT' });
    expect((await svc.http.post(`/calls/${mine}/quality/samples`, { samples: [sample] }, agent)).body).toMatchObject({
      status: 403,
      code: 'AUTH_OTHER_AGENT',
    });

    const stranger = await tokenFor({ subject: 'admin-2', role: 'tenant-admin', tenantId: `other-${randomUUID().slice(0, 8)}` });
    expect((await svc.http.get(`/calls/${mine}/quality`, stranger)).body).toMatchObject({ status: 404, code: 'CALL_NOT_FOUND' });
    expect((await svc.http.get(`/calls/unknown-call/quality/history`, admin)).body).toMatchObject({ status: 404, code: 'CALL_NOT_FOUND' });
  });
});
