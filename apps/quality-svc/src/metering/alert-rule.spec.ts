import { describe, expect, it } from '@jest/globals';
import type { PoorReason, QualityLevel } from '@softphone/contracts';
import { DEFAULT_ALERT_RULE, followAlert, leavesAlertAsIs, NO_ALERT, type AlertChange, type AlertRule } from './alert-rule.js';

const loss = (value: number): PoorReason => ({ reason: 'loss', kind: 'audio', side: 'agent-receive', value });
const metrics = (lossRate: number) => ({ lossRate, jitterMs: 2, oneWayDelayMs: 20, mos: 4 });

/** The alert changes over seconds 1, 2, ... at these levels (poor ones lose 2 %, bad ones 6 %). */
function run(levels: QualityLevel[], rule: AlertRule = DEFAULT_ALERT_RULE): AlertChange[] {
  let state = NO_ALERT;
  const changes: AlertChange[] = [];
  levels.forEach((level, i) => {
    const lossRate = level === 'bad' ? 0.06 : level === 'poor' ? 0.02 : 0;
    const reasons = lossRate >= 0.01 ? [loss(lossRate)] : [];
    const followed = followAlert(rule, state, { atMs: (i + 1) * 1000, level, reasons, metrics: metrics(lossRate) });
    state = followed.state;
    if (followed.change) changes.push(followed.change);
  });
  return changes;
}

const g = 'good' as const;
const m = 'medium' as const;
const p = 'poor' as const;
const b = 'bad' as const;
const kinds = (changes: AlertChange[]) => changes.map((c) => [c.type, c.atMs / 1000]);

describe('alert rule: M of the last N seconds Poor or worse, cleared after N good-enough seconds', () => {
  it('raises on the 3rd poor second of 5, even not in a row', () => {
    expect(kinds(run([g, p, m, p, g, p, g]))).toEqual([['went-poor', 6]]);
  });

  it('raises on a line alternating poor and medium (3 Poor in 5)', () => {
    expect(kinds(run([p, m, p, m, p, m]))).toEqual([['went-poor', 5]]);
  });

  it('does not raise on 2 poor seconds in any 5', () => {
    expect(run([p, p, g, g, g, p, p, g, g, g, p, p])).toEqual([]);
  });

  it("names the worst level, each reason with its worst value, and the worst second's metrics", () => {
    const [raised] = run([p, b, p]);
    expect(raised).toEqual({ type: 'went-poor', atMs: 3000, level: 'bad', reasons: [loss(0.06)], metrics: metrics(0.06) });
  });

  it('clears after 5 good-enough seconds in a row, and a poor second restarts the count (no flapping)', () => {
    expect(kinds(run([p, p, p, m, m, m, m, p, g, g, g, g, g, p]))).toEqual([
      ['went-poor', 3],
      ['recovered', 13],
    ]);
    const [, recovered] = run([p, p, p, g, g, g, g, g]);
    expect(recovered).toEqual({ type: 'recovered', atMs: 8000, poorSinceMs: 3000 });
  });

  it('raises again after a recovery only on a fresh M of N', () => {
    expect(kinds(run([p, p, p, g, g, g, g, g, p, p, g, p]))).toEqual([
      ['went-poor', 3],
      ['recovered', 8],
      ['went-poor', 12],
    ]);
  });

  it('takes a tenant rule', () => {
    expect(kinds(run([p, g, p], { poorSeconds: 2, ofLastSeconds: 3, clearAfterSeconds: 1 }))).toEqual([['went-poor', 3]]);
    expect(kinds(run([p, g, p, g], { poorSeconds: 2, ofLastSeconds: 3, clearAfterSeconds: 1 }))).toEqual([
      ['went-poor', 3],
      ['recovered', 4],
    ]);
  });

  it('leaves the state as it is (the meter then skips the second) only for a good-enough second after a quiet full window', () => {
    const quiet = { recent: [null, null, null, null, null], poorSinceMs: null, goodStreak: 0 };
    expect(leavesAlertAsIs(DEFAULT_ALERT_RULE, quiet, m)).toBe(true);
    expect(followAlert(DEFAULT_ALERT_RULE, quiet, { atMs: 1000, level: m, reasons: [], metrics: metrics(0) }).state).toBe(quiet);
    expect(leavesAlertAsIs(DEFAULT_ALERT_RULE, quiet, p)).toBe(false);
    expect(leavesAlertAsIs(DEFAULT_ALERT_RULE, NO_ALERT, g)).toBe(false);
    const withPoor = { ...quiet, recent: [null, null, null, null, { atMs: 1000, level: p, reasons: [], metrics: metrics(0.02) }] };
    expect(leavesAlertAsIs(DEFAULT_ALERT_RULE, withPoor, g)).toBe(false);
    expect(leavesAlertAsIs(DEFAULT_ALERT_RULE, { ...quiet, poorSinceMs: 1000 }, g)).toBe(false);
  });
});
