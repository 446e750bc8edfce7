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

/** What is known of a second: no loss rate when nothing was sent (0/0 is not a rate), no delay before any RTT. */
export interface PartialMetrics {
  lossRate: number | null;
  jitterMs: number;
  oneWayDelayMs: number | null;
}

/**
 * The lowest of the levels determined by packet loss rate, jitter and one-way
 * delay; a metric that is not known determines nothing (a second without
 * packets is rated by jitter and delay).
 */
export function networkLevel(metrics: PartialMetrics): QualityLevel {
  return LEVELS[
    Math.max(
      metrics.lossRate === null ? 0 : severityBy('lossRate', metrics.lossRate),
      severityBy('jitterMs', metrics.jitterMs),
      metrics.oneWayDelayMs === null ? 0 : severityBy('oneWayDelayMs', metrics.oneWayDelayMs),
    )
  ];
}

/** The metrics that alone make a second Poor or worse: what an alert names. */
export function poorMetrics(metrics: PartialMetrics): Array<keyof NetworkMetrics> {
  const poor = severity('poor');
  return (['lossRate', 'jitterMs', 'oneWayDelayMs'] as const).filter((metric) => {
    const value = metrics[metric];
    return value !== null && severityBy(metric, value) >= poor;
  });
}
