import type { PoorReason, QualityLevel, SecondMetrics } from '@softphone/contracts';
import { isPoorOrWorse, severity, worse } from './network-level.js';

/**
 * When a call "goes poor" (what an OU manager is told about): M of its last N
 * measured seconds Poor or worse. It recovers after `clearAfterSeconds`
 * consecutive seconds better than Poor, so a line flapping around the bound
 * raises one alert, not one per flap.
 */
export interface AlertRule {
  poorSeconds: number;
  ofLastSeconds: number;
  clearAfterSeconds: number;
}

export const DEFAULT_ALERT_RULE: AlertRule = { poorSeconds: 3, ofLastSeconds: 5, clearAfterSeconds: 5 };

/** What the rule needs of a measured second. */
export interface AlertSecond {
  atMs: number;
  level: QualityLevel;
  /** Why it is Poor or worse (empty otherwise). */
  reasons: PoorReason[];
  metrics: SecondMetrics;
}

export interface AlertState {
  /** The last N seconds, oldest first: the poor ones as they were, null for the good-enough ones. */
  recent: Array<AlertSecond | null>;
  /** The second of the alert in force, if any. */
  poorSinceMs: number | null;
  /** Good-enough seconds in a row while the alert is in force. */
  goodStreak: number;
}

export const NO_ALERT: AlertState = { recent: [], poorSinceMs: null, goodStreak: 0 };

export type AlertChange =
  | { type: 'went-poor'; atMs: number; level: QualityLevel; reasons: PoorReason[]; metrics: SecondMetrics }
  | { type: 'recovered'; atMs: number; poorSinceMs: number };

const reasonKey = (r: PoorReason) => `${r.reason}/${r.kind}/${r.side}`;

/** Each reason once per kind and side, with its worst value. */
function mergeReasons(seconds: readonly AlertSecond[]): PoorReason[] {
  const merged = new Map<string, PoorReason>();
  for (const reason of seconds.flatMap((s) => s.reasons)) {
    const known = merged.get(reasonKey(reason));
    if (!known || reason.value > known.value) merged.set(reasonKey(reason), reason);
  }
  return [...merged.values()];
}

/**
 * The usual second: not Poor, no alert in force, nothing poor in a full window. Following it leaves the state as it
 * is, so a caller may skip building the second's reasons and metrics (and `followAlert` allocates nothing).
 */
export function leavesAlertAsIs(rule: AlertRule, state: AlertState, level: QualityLevel): boolean {
  return (
    !isPoorOrWorse(level) &&
    state.poorSinceMs === null &&
    state.recent.length === rule.ofLastSeconds &&
    state.recent.every((s) => s === null)
  );
}

export function followAlert(rule: AlertRule, state: AlertState, second: AlertSecond): { state: AlertState; change: AlertChange | null } {
  if (leavesAlertAsIs(rule, state, second.level)) return { state, change: null };
  const poor = isPoorOrWorse(second.level);
  const recent = [...state.recent, poor ? second : null].slice(-rule.ofLastSeconds);
  if (state.poorSinceMs !== null) {
    const goodStreak = poor ? 0 : state.goodStreak + 1;
    if (goodStreak < rule.clearAfterSeconds) return { state: { recent, poorSinceMs: state.poorSinceMs, goodStreak }, change: null };
    return { state: NO_ALERT, change: { type: 'recovered', atMs: second.atMs, poorSinceMs: state.poorSinceMs } };
  }
  const poorOnes = recent.filter((s): s is AlertSecond => s !== null);
  if (poorOnes.length < rule.poorSeconds) return { state: { recent, poorSinceMs: null, goodStreak: 0 }, change: null };
  const worst = poorOnes.reduce((a, b) => (severity(b.level) > severity(a.level) ? b : a));
  return {
    state: { recent, poorSinceMs: second.atMs, goodStreak: 0 },
    change: {
      type: 'went-poor',
      atMs: second.atMs,
      level: poorOnes.map((s) => s.level).reduce(worse),
      reasons: mergeReasons(poorOnes),
      metrics: worst.metrics,
    },
  };
}
