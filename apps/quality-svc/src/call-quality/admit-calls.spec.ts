import { describe, expect, it } from '@jest/globals';
import { admitCalls } from './admit-calls.js';

const NOW = Date.parse('2026-11-28T09:00:00.000Z');
const sample = (offsetMs = 0, packetsSent = 10) => ({
  at: new Date(NOW + offsetMs).toISOString(),
  packetsReceived: 10,
  packetsSent,
  jitterMs: 1,
  rttMs: 20,
});

describe('admitting the calls of a bulk body or a topic message one by one', () => {
  it('keeps the good calls and names the field of each bad one', () => {
    const admitted = admitCalls(
      [
        { callId: 'a', samples: [sample()] },
        { callId: 'b', samples: [sample(0, -1)] },
        { callId: 'c', samples: [sample(120_000)] },
        { callId: 'd', reports: [{ stats: [{ type: 'inbound-rtp', timestamp: NOW, jitter: 61 }] }] },
        { callId: 'e', samples: [sample()], reports: [{ stats: [{ type: 'codec', timestamp: NOW }] }] },
        'junk',
        { callId: 'f', samples: [{ ...sample(), packetsReceived: 2 ** 53 }] },
        { callId: 'g', samples: [{ ...sample(), rttMs: 1e308 }] },
      ],
      NOW,
    );
    expect(admitted.calls.map((c) => c.callId)).toEqual(['a']);
    expect(admitted.rejected.map((r) => [r.callId, r.field])).toEqual([
      ['b', 'calls[1].samples[0].packetsSent'],
      ['c', 'calls[2].samples[0].at'],
      ['d', 'calls[3].reports[0].stats[0].jitter'],
      ['e', 'calls[4].samples'],
      [null, 'calls[5]'],
      ['f', 'calls[6].samples[0].packetsReceived'],
      ['g', 'calls[7].samples[0].rttMs'],
    ]);
  });

  it('checks every range limit of a plain gateway call and names the field, as the schema does', () => {
    const admitted = admitCalls(
      [
        { callId: 'ok', samples: [{ ...sample(60_000), jitterMs: 60_000, rttMs: 60_000, packetsReceived: 2 ** 53 - 1 }] },
        { callId: 'ok-past', samples: [sample(-60_000, 0)] },
        { callId: 'ahead', samples: [sample(60_001)] },
        { callId: 'behind', samples: [sample(), sample(-60_001)] },
        { callId: 'jitter', samples: [{ ...sample(), jitterMs: 60_001 }] },
        { callId: 'rtt', samples: [{ ...sample(), rttMs: -1 }] },
        { callId: 'packets', samples: [{ ...sample(), packetsReceived: 1.5 }] },
        { callId: 'bad id!', samples: [sample()] },
      ],
      NOW,
    );
    expect(admitted.calls.map((c) => c.callId)).toEqual(['ok', 'ok-past']);
    expect(admitted.rejected.map((r) => [r.callId, r.field])).toEqual([
      ['ahead', 'calls[2].samples[0].at'],
      ['behind', 'calls[3].samples[1].at'],
      ['jitter', 'calls[4].samples[0].jitterMs'],
      ['rtt', 'calls[5].samples[0].rttMs'],
      ['packets', 'calls[6].samples[0].packetsReceived'],
      ['bad id!', 'calls[7].callId'],
    ]);
    expect(admitted.rejected[0].message).toBe('more than 60 s ahead of the service clock');
  });
});
