import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { topics } from '@softphone/contracts';
import { ManualClock } from '@softphone/platform';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { uniqueId, upstream } from './support.js';

type Entry = Record<string, unknown> & { id: string; type: string; timestamp: number };
interface Fixture {
  reports: Array<{ at: number; stats: Entry[] }>;
}

const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./fixtures/getstats/${name}.json`, import.meta.url), 'utf8')) as Fixture;

/**
 * Table 2 straight from the raw reports, independently of the service: per
 * kind, received = inbound-rtp.packetsReceived, sent = received + packetsLost
 * (the receiver's expected count), jitter in ms, one-way delay = the selected
 * candidate pair's currentRoundTripTime / 2, between consecutive reports.
 */
function byHand(f: Fixture, kind: 'audio' | 'video') {
  const at = (r: Fixture['reports'][number]) => {
    const inbound = r.stats.find((e) => e.type === 'inbound-rtp' && e.kind === kind)!;
    const transport = r.stats.find((e) => e.type === 'transport')!;
    const pair = r.stats.find((e) => e.id === transport.selectedCandidatePairId)!;
    const received = inbound.packetsReceived as number;
    return {
      received,
      sent: received + (inbound.packetsLost as number),
      jitterMs: (inbound.jitter as number) * 1000,
      delayMs: ((pair.currentRoundTripTime as number) * 1000) / 2,
    };
  };
  return f.reports.slice(1).map((r, i) => {
    const [before, now] = [at(f.reports[i]), at(r)];
    const [received, sent] = [now.received - before.received, now.sent - before.sent];
    return {
      packetsReceived: received,
      packetsSent: sent,
      lossRate: (sent - received) / sent,
      jitterMs: now.jitterMs,
      oneWayDelayMs: now.delayMs,
    };
  });
}

interface StreamView {
  kind: string;
  side: string;
  level: string;
  packetsReceived: number | null;
  packetsSent: number | null;
  lossRate: number | null;
  jitterMs: number;
  oneWayDelayMs: number | null;
}

describe("quality-svc: a browser's real getStats() reports (recorded with Chromium through an impairing relay)", () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('getstats');
  const tenantId = uniqueId('tenant');
  const calls = upstream(prefix, tenantId);
  const clock = new ManualClock(new Date());
  let admin: string;

  beforeAll(async () => {
    db = await createTestDatabase('getstats');
    svc = await startTestService({
      defaults: QUALITY_SERVICE,
      module: (config) => qualityServiceModule(config, { clock }),
      database: db,
      topicPrefix: prefix,
    });
    admin = await tokenFor({ subject: 'admin-1', role: 'tenant-admin', tenantId });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  const reportsCounted = async () =>
    (await register.getSingleMetric('quality_samples_total')!.get()).values.reduce((n, v) => n + v.value, 0);

  /** The agent's page posts each report as it is taken (5 per request here), the service clock at the report's time. */
  async function play(name: string) {
    const f = fixture(name);
    const callId = uniqueId('call');
    const agentId = uniqueId('agent');
    const agent = await tokenFor({ subject: agentId, role: 'agent', tenantId });
    await calls.connected(callId, agentId);
    await eventually(async () => expect((await svc.http.get(`/calls/${callId}/quality`, agent)).status).toBe(200));
    const counted = await reportsCounted();
    for (let i = 0; i < f.reports.length; i += 5) {
      const chunk = f.reports.slice(i, i + 5);
      clock.set(new Date(chunk.at(-1)!.at));
      const posted = await svc.http.post(`/calls/${callId}/quality/samples`, { reports: chunk.map((r) => ({ stats: r.stats })) }, agent);
      expect(posted.status).toBe(202);
    }
    // Every report taken by the call's meter and checkpointed: its seconds are readable.
    await eventually(async () => expect(await reportsCounted()).toBe(counted + f.reports.length));
    const history = await svc.http.get(`/calls/${callId}/quality/history`, admin);
    return {
      f,
      callId,
      agent,
      series: history.body.series as Array<{ at: string; level: string; flags: string[]; streams: StreamView[] }>,
      history,
    };
  }

  const stream = (s: { streams: StreamView[] }, kind: string, side = 'agent-receive') =>
    s.streams.find((x) => x.kind === kind && x.side === side)!;

  function expectTable2(series: Array<{ streams: StreamView[] }>, f: Fixture, kind: 'audio' | 'video') {
    const expected = byHand(f, kind);
    expect(series).toHaveLength(expected.length);
    series.forEach((second, i) => {
      const measured = stream(second, kind);
      expect([measured.packetsReceived, measured.packetsSent]).toEqual([expected[i].packetsReceived, expected[i].packetsSent]);
      expect(measured.lossRate).toBeCloseTo(expected[i].lossRate, 12);
      expect(measured.jitterMs).toBeCloseTo(expected[i].jitterMs, 9);
      expect(measured.oneWayDelayMs).toBeCloseTo(expected[i].oneWayDelayMs, 9);
    });
  }

  it('a good line: 149 seconds from 150 reports a second apart, Table 2 exact, all Good but one second of 12 ms jitter', async () => {
    const { f, series } = await play('voice-good');
    expectTable2(series, f, 'audio');
    expect(series.filter((s) => s.level !== 'good').map((s) => [series.indexOf(s) + 1, s.level, stream(s, 'audio').jitterMs])).toEqual([
      [125, 'medium', 12],
    ]);
    expect(series.every((s) => s.flags.length === 0)).toBe(true);
  });

  it('5 % loss and 100 ms each way: the seconds by hand, the live level the page reads, and the alert with its reasons', async () => {
    const { f, series, callId, agent } = await play('voice-loss5-delay100');
    expectTable2(series, f, 'audio');
    // Seconds 1-4 by hand (inbound-rtp received / received + lost; RTT of the selected pair; remote-inbound-rtp fractionLost):
    // 48/50 lost 4 % (Poor); 48/51 5.9 % (Bad); 48/49 2 % (Poor); 47/50 6 % (Bad). The remote end reports 2.7 % then 4.7 %: Poor.
    expect(series.slice(0, 4).map((s) => [s.level, stream(s, 'audio').packetsReceived, stream(s, 'audio').packetsSent])).toEqual([
      ['poor', 48, 50],
      ['bad', 48, 51],
      ['poor', 48, 49],
      ['bad', 47, 50],
    ]);
    expect(stream(series[0], 'audio')).toMatchObject({ lossRate: 0.04, oneWayDelayMs: 101.5, level: 'poor' });
    expect(stream(series[0], 'audio', 'remote-receive')).toMatchObject({ lossRate: 0.02734375, jitterMs: 6.375, level: 'poor' });
    const live = (await svc.http.get(`/calls/${callId}/quality`, agent)).body;
    expect(live.latestSecond.level).toBe(series.at(-1)!.level);
    expect(live.displayedLevel).toBe(live.level);
    // The alert: seconds 1-3 are Poor, Bad, Poor: 3 of the last 5 at the 3rd second; the line never recovers.
    expect(live.poorSince).toBe(series[2].at);
    const t = topics(prefix);
    const key = `call-quality-${tenantId}:${callId}`;
    const events = await collect(t.events('quality'), (m) => m.some((x) => x.key === key && x.value.includes('call-went-poor')));
    const wentPoor = events.map((m) => JSON.parse(m.value)).find((e) => e.type === 'quality.call-went-poor' && e.data.callId === callId);
    expect(wentPoor.data).toMatchObject({ rule: { poorSeconds: 3, ofLastSeconds: 5 }, level: 'bad' });
    expect(wentPoor.data.second).toBe(series[2].at);
    expect(wentPoor.data.reasons).toEqual(
      expect.arrayContaining([
        { reason: 'loss', kind: 'audio', side: 'agent-receive', value: 3 / 51 },
        { reason: 'delay', kind: 'audio', side: 'agent-receive', value: 101.5 },
        expect.objectContaining({ reason: 'loss', kind: 'audio', side: 'remote-receive' }),
      ]),
    );
  });

  it('audio and video rated apart, the worse one being the level of each second', async () => {
    const { f, series } = await play('video-loss5-delay200');
    expectTable2(series, f, 'audio');
    expectTable2(series, f, 'video');
    const order = ['good', 'medium', 'poor', 'bad'];
    for (const second of series) {
      expect(second.level).toBe(second.streams.map((s) => s.level).reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a)));
    }
    // 200 ms each way (RTT 385-447 ms): every second is at least Poor by delay.
    expect(series.every((s) => stream(s, 'video').oneWayDelayMs! >= 100 && order.indexOf(s.level) >= 2)).toBe(true);
  });
});
