/**
 * Table 2 of the guide ("Data source description"): what one second of a call
 * measured, from the gateway's cumulative counters now and 1 s ago.
 */

/** One gateway sample with its time as epoch milliseconds. */
export interface Reading {
  atMs: number;
  /** Total packets received by the local end (the agent). */
  packetsReceived: number;
  /** Total packets sent by the remote end. */
  packetsSent: number;
  /** Receive jitter of the local end, ms. */
  jitterMs: number;
  rttMs: number;
}

/** What a reading leaves for the next second: its time and counters. */
export type Counters = Pick<Reading, 'atMs' | 'packetsReceived' | 'packetsSent'>;

export const countersOf = ({ atMs, packetsReceived, packetsSent }: Reading): Counters => ({ atMs, packetsReceived, packetsSent });

export interface SecondMeasurement {
  /** The end of the second: the time of the later reading. */
  atMs: number;
  /** Packets received by the local end in that second. */
  packetsReceived: number;
  /** Packets sent by the remote end in that second. */
  packetsSent: number;
  /** (sent - received) / sent; null when the remote end sent nothing (a second without traffic). */
  lossRate: number | null;
  jitterMs: number;
  oneWayDelayMs: number;
}

/**
 * A reading counts as "1 s ago" when it is 1 s ± this much older: gateways do
 * not sample on the exact millisecond. Outside the window there is no reading
 * from 1 s ago, and no second is computed (see relate()).
 */
export const ONE_SECOND_TOLERANCE_MS = 250;

export function measureSecond(oneSecondAgo: Counters, now: Reading): SecondMeasurement {
  const received = now.packetsReceived - oneSecondAgo.packetsReceived;
  const sent = now.packetsSent - oneSecondAgo.packetsSent;
  return {
    atMs: now.atMs,
    packetsReceived: received,
    packetsSent: sent,
    // More received than sent in a second is counter skew (the remote counter comes with RTCP), not negative loss.
    lossRate: sent > 0 ? Math.max(0, sent - received) / sent : null,
    jitterMs: now.jitterMs,
    oneWayDelayMs: now.rttMs / 2,
  };
}

/**
 * How a new reading relates to the latest usable one (the baseline):
 * - first: there is no baseline yet;
 * - duplicate / out-of-order: not newer than the baseline (a redelivery or a late sample): ignored;
 * - early: less than 1 s after the baseline: ignored, the baseline stays, so sub-second sampling still yields seconds;
 * - reset: a counter went down (new media session): the reading becomes the baseline, no second;
 * - gap: more than 1 s after the baseline: no reading from 1 s ago, the reading becomes the baseline, no second;
 * - one-second: the baseline is the reading of 1 s ago: a second is measured.
 */
export type Relation = 'first' | 'duplicate' | 'out-of-order' | 'early' | 'reset' | 'gap' | 'one-second';

export function relate(baseline: Counters | null, reading: Reading): Relation {
  if (!baseline) return 'first';
  const elapsed = reading.atMs - baseline.atMs;
  if (elapsed === 0) return 'duplicate';
  if (elapsed < 0) return 'out-of-order';
  if (elapsed < 1000 - ONE_SECOND_TOLERANCE_MS) return 'early';
  if (reading.packetsReceived < baseline.packetsReceived || reading.packetsSent < baseline.packetsSent) return 'reset';
  if (elapsed > 1000 + ONE_SECOND_TOLERANCE_MS) return 'gap';
  return 'one-second';
}
