import type { QualityMeasurements } from '@softphone/contracts';
import { sampleTimeMs } from '../metering/sample-time.js';

/**
 * Samples and reports are measurements of now: stamped more than a minute
 * from the service clock (either way) they are refused, naming the field. A
 * report's time is its latest entry's (remote-* entries are older by nature:
 * they date from the last RTCP report).
 */
export const MAX_CLOCK_SKEW_MS = 60_000;

export interface FieldIssue {
  /** Where, as a schema issue's path: ['samples', 3, 'at']. */
  path: Array<string | number>;
  message: string;
}

function skewIssue(path: FieldIssue['path'], atMs: number, nowMs: number): FieldIssue | null {
  if (Math.abs(atMs - nowMs) <= MAX_CLOCK_SKEW_MS) return null;
  return { path, message: `more than ${MAX_CLOCK_SKEW_MS / 1000} s ${atMs > nowMs ? 'ahead of' : 'behind'} the service clock` };
}

/** The first sample or report of a call stamped too far from the clock, if any. */
export function clockSkewIssue(measured: QualityMeasurements, nowMs: number): FieldIssue | null {
  for (const [i, sample] of (measured.samples ?? []).entries()) {
    const issue = skewIssue(['samples', i, 'at'], sampleTimeMs(sample.at), nowMs);
    if (issue) return issue;
  }
  for (const [i, report] of (measured.reports ?? []).entries()) {
    const latest = report.stats.reduce((j, entry, k) => (entry.timestamp > report.stats[j].timestamp ? k : j), 0);
    const issue = skewIssue(['reports', i, 'stats', latest, 'timestamp'], report.stats[latest].timestamp, nowMs);
    if (issue) return issue;
  }
  return null;
}
