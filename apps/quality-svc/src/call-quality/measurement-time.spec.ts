import { describe, expect, it } from '@jest/globals';
import { clockSkewIssue } from './measurement-time.js';

const NOW = Date.parse('2026-11-28T09:00:00.000Z');
const sample = (offsetMs: number) => ({
  at: new Date(NOW + offsetMs).toISOString(),
  packetsReceived: 0,
  packetsSent: 0,
  jitterMs: 0,
  rttMs: 0,
});
const entry = (type: string, offsetMs: number) => ({ type, timestamp: NOW + offsetMs });

describe('measurements are of now: within 60 s of the service clock', () => {
  it.each([-60_000, 0, 60_000])('takes a sample %i ms from the clock', (offset) =>
    expect(clockSkewIssue({ samples: [sample(offset)] }, NOW)).toBeNull(),
  );
  it('names the first sample out of range, ahead or behind', () => {
    expect(clockSkewIssue({ samples: [sample(0), sample(60_001)] }, NOW)).toEqual({
      path: ['samples', 1, 'at'],
      message: 'more than 60 s ahead of the service clock',
    });
    expect(clockSkewIssue({ samples: [sample(-60_001)] }, NOW)?.message).toBe('more than 60 s behind the service clock');
  });
  it('dates a report by its latest entry: older remote-* entries are normal', () => {
    const report = { stats: [entry('remote-outbound-rtp', -600_000), entry('inbound-rtp', 0)] };
    expect(clockSkewIssue({ reports: [report] }, NOW)).toBeNull();
    const ahead = { stats: [entry('inbound-rtp', 0), entry('codec', 61_000)] };
    expect(clockSkewIssue({ reports: [report, ahead] }, NOW)?.path).toEqual(['reports', 1, 'stats', 1, 'timestamp']);
    expect(clockSkewIssue({ reports: [{ stats: [entry('inbound-rtp', -61_000)] }] }, NOW)?.path).toEqual([
      'reports',
      0,
      'stats',
      0,
      'timestamp',
    ]);
  });
});
