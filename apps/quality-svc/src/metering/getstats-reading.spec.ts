import { describe, expect, it } from '@jest/globals';
import type { GetStatsEntry } from '@softphone/contracts';
import { readingOfReport } from './getstats-reading.js';
import { measureSecond } from './second-measurement.js';

const T = 1_795_844_384_289;

function report(at: number, options: { audio?: [number, number]; video?: [number, number]; pair?: boolean; transport?: boolean } = {}) {
  const stats: GetStatsEntry[] = [
    { id: 'T01', type: 'transport', timestamp: at, selectedCandidatePairId: options.transport ? 'CP2' : undefined },
    { id: 'CP1', type: 'candidate-pair', timestamp: at, nominated: true, state: 'succeeded', currentRoundTripTime: 0.2 },
    { id: 'CP2', type: 'candidate-pair', timestamp: at, nominated: false, state: 'in-progress', currentRoundTripTime: 0.3 },
    { id: 'CIT01', type: 'codec', timestamp: at, mimeType: 'audio/opus', payloadType: 111 },
  ];
  if (options.pair === false) stats.splice(1, 2);
  const [received, lost] = options.audio ?? [97, 2];
  stats.push(
    {
      id: 'IA1',
      type: 'inbound-rtp',
      kind: 'audio',
      ssrc: 1,
      timestamp: at,
      packetsReceived: received,
      packetsLost: lost,
      jitter: 0.007,
      remoteId: 'ROA1',
    },
    { id: 'ROA1', type: 'remote-outbound-rtp', kind: 'audio', ssrc: 1, timestamp: at - 400, packetsSent: 82, remoteTimestamp: at - 500 },
    { id: 'OA2', type: 'outbound-rtp', kind: 'audio', ssrc: 2, timestamp: at, packetsSent: 120 },
    {
      id: 'RIA2',
      type: 'remote-inbound-rtp',
      kind: 'audio',
      ssrc: 2,
      timestamp: at - 300,
      localId: 'OA2',
      packetsLost: 2,
      fractionLost: 0.02734375,
      jitter: 0.006375,
      roundTripTime: 0.205795,
    },
  );
  if (options.video) {
    const [videoReceived, videoLost] = options.video;
    stats.push(
      {
        id: 'IV3',
        type: 'inbound-rtp',
        kind: 'video',
        ssrc: 3,
        timestamp: at,
        packetsReceived: videoReceived,
        packetsLost: videoLost,
        jitter: 0.011,
      },
      { id: 'IV4', type: 'inbound-rtp', kind: 'video', ssrc: 4, timestamp: at, packetsReceived: 10, packetsLost: 1, jitter: 0.02 },
    );
  }
  return { stats };
}

describe('a getStats() report as a reading of the call (the agent being the recipient)', () => {
  it('maps inbound-rtp, remote-outbound-rtp, remote-inbound-rtp and the selected candidate pair, units converted', () => {
    expect(readingOfReport(report(T))).toEqual({
      atMs: T,
      streams: {
        audio: {
          packetsReceived: 97,
          packetsSent: 99,
          jitterMs: 7,
          rttMs: 200,
          remoteSent: 82,
          agentSent: 120,
          remoteReceive: { lossRate: 0.02734375, jitterMs: 6.375, rttMs: expect.closeTo(205.795, 9) },
        },
      },
    });
  });

  it("takes the transport's selected pair first, and the remote-inbound RTT when there is no pair", () => {
    expect(readingOfReport(report(T, { transport: true }))!.streams.audio!.rttMs).toBe(300);
    expect(readingOfReport(report(T, { pair: false }))!.streams.audio!.rttMs).toBeCloseTo(205.795, 9);
  });

  it('rates video apart from audio, summing the SSRCs of a kind and keeping their worst jitter', () => {
    expect(readingOfReport(report(T, { video: [200, 5] }))!.streams.video).toEqual({
      packetsReceived: 210,
      packetsSent: 216,
      jitterMs: 20,
      rttMs: 200,
      remoteSent: null,
      agentSent: null,
      remoteReceive: null,
    });
  });

  it('reads nothing from a report without inbound-rtp', () => {
    expect(readingOfReport({ stats: [{ type: 'transport', timestamp: T }] })).toBeNull();
  });

  it('packets sent = received + lost equals Table 2\'s "sent by the remote end" when reports are frequent', () => {
    // The remote end sends 50 packets a second (sequence numbers 0, 1, ...); every 25th from the 10th is lost, so
    // the last packet of each second always arrives. Reports every 100 ms, the remote's own counter exact in each
    // (a sender report with every report): per second, both definitions give the same packets sent and loss rate.
    const sentBy = (ms: number) => Math.floor((ms * 50) / 1000);
    const lostBy = (sent: number) => (sent > 10 ? Math.floor((sent - 11) / 25) + 1 : 0);
    const reading = (ms: number) => {
      const sent = sentBy(ms);
      const lost = lostBy(sent);
      const r = readingOfReport(report(T + ms, { audio: [sent - lost, lost] }))!.streams.audio!;
      return { expected: r, table2: { packetsReceived: r.packetsReceived, packetsSent: sent } };
    };
    for (let second = 1; second <= 30; second++) {
      const [before, now] = [reading((second - 1) * 1000), reading(second * 1000)];
      const gauges = { jitterMs: 0, rttMs: 0 };
      expect(measureSecond(before.expected, now.expected, gauges)).toEqual(measureSecond(before.table2, now.table2, gauges));
    }
  });
});
