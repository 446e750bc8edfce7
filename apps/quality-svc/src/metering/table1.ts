import type { QualityLevel } from '@softphone/contracts';

/** Table 1 of the guide ("Network level description"); past Poor's bounds the level is `bad`. */
export const TABLE_1: ReadonlyArray<{ level: QualityLevel; lossRate: number; jitterMs: number; oneWayDelayMs: number }> = [
  { level: 'good', lossRate: 0.001, jitterMs: 10, oneWayDelayMs: 40 },
  { level: 'medium', lossRate: 0.01, jitterMs: 20, oneWayDelayMs: 100 },
  { level: 'poor', lossRate: 0.05, jitterMs: 60, oneWayDelayMs: 400 },
];

/** Levels from best to worst; the index is the level's severity (stored as such in SQL). */
export const LEVELS: readonly QualityLevel[] = ['good', 'medium', 'poor', 'bad'];

export const severity = (level: QualityLevel): number => LEVELS.indexOf(level);
export const levelOfSeverity = (value: number): QualityLevel => LEVELS[value];
export const worse = (a: QualityLevel, b: QualityLevel): QualityLevel => (severity(a) >= severity(b) ? a : b);
export const milder = (a: QualityLevel, b: QualityLevel): QualityLevel => (severity(a) <= severity(b) ? a : b);
export const isPoorOrWorse = (level: QualityLevel | null): boolean => level !== null && severity(level) >= severity('poor');

export interface NetworkMetrics {
  lossRate: number;
  jitterMs: number;
  oneWayDelayMs: number;
}

function severityBy(metric: keyof NetworkMetrics, value: number): number {
  for (let i = 0; i < TABLE_1.length; i++) if (value < TABLE_1[i][metric]) return i;
  return TABLE_1.length;
}

/** The lowest of the levels determined by packet loss rate, jitter and one-way delay. */
export function networkLevel(metrics: NetworkMetrics): QualityLevel {
  return LEVELS[
    Math.max(
      severityBy('lossRate', metrics.lossRate),
      severityBy('jitterMs', metrics.jitterMs),
      severityBy('oneWayDelayMs', metrics.oneWayDelayMs),
    )
  ];
}
