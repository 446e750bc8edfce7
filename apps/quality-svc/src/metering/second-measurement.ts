/**
 * Table 2 of the guide ("Data source description"): what one second of one
 * media stream measured, from the cumulative counters at its start ("1 s ago")
 * and at its end ("now"), and the receiver's gauges at its end.
 */

/** Cumulative counters of one stream at an instant. */
export interface Counters {
  /** Total packets received by the receiving end (the agent, Table 2's recipient). */
  packetsReceived: number;
  /** Total packets the sending end sent (or the receiver expected: see docs/services/quality-svc.md). */
  packetsSent: number;
}

export interface Gauges {
  /** Receive jitter of the receiving end, ms. */
  jitterMs: number;
  /** Round-trip time, ms; null before any was measured. */
  rttMs: number | null;
}

export interface SecondMeasurement {
  /** Packets received in that second. */
  packetsReceived: number;
  /** Packets sent in that second. */
  packetsSent: number;
  /** (sent - received) / sent; null when nothing was sent (0/0 is not a rate). */
  lossRate: number | null;
  jitterMs: number;
  /** RTT / 2; null while no RTT is known. */
  oneWayDelayMs: number | null;
}

export function measureSecond(oneSecondAgo: Counters, now: Counters, gauges: Gauges): SecondMeasurement {
  const received = now.packetsReceived - oneSecondAgo.packetsReceived;
  const sent = now.packetsSent - oneSecondAgo.packetsSent;
  return {
    packetsReceived: received,
    packetsSent: sent,
    // More received than sent in a second is counter skew (the remote counter comes with RTCP), not negative loss.
    lossRate: sent > 0 ? Math.max(0, sent - received) / sent : null,
    jitterMs: gauges.jitterMs,
    oneWayDelayMs: gauges.rttMs === null ? null : gauges.rttMs / 2,
  };
}

/** Whether a counter went down between two instants: a new media session, whose counters restarted. */
export const countersWentDown = (before: Counters, after: Counters): boolean =>
  after.packetsReceived < before.packetsReceived || after.packetsSent < before.packetsSent;
