import type { QualityLevel, QualitySample } from '@softphone/contracts';
import { followLevel, NO_LEVEL, type LevelState } from './hysteresis.js';
import { estimateMos } from './mos.js';
import { isPoorOrWorse, networkLevel } from './table1.js';
import { countersOf, measureSecond, relate, type Counters, type Reading, type Relation, type SecondMeasurement } from './table2.js';

/** A measured second with its Table 1 level and MOS (both null for a second without traffic). */
export interface RatedMeasurement extends SecondMeasurement {
  level: QualityLevel | null;
  mos: number | null;
}

/** A second as the meter records it, with the counters it ended at: the baseline of the next one. */
export interface MeteredSecond extends RatedMeasurement {
  counters: Counters;
}

/** A second with traffic: every metric is known. */
export interface RatedSecond extends MeteredSecond {
  lossRate: number;
  level: QualityLevel;
  mos: number;
}

export interface LevelChange {
  from: QualityLevel | null;
  to: QualityLevel;
  second: RatedSecond;
}

/** The call went poor (or worse) and its OU manager may have to be told. */
export interface PendingNotice {
  level: QualityLevel;
  second: RatedSecond;
}

/** What quality-svc keeps per call between batches of samples. */
export interface MeterState {
  /** The latest usable reading's counters: the "1 s ago" of the next second. */
  baseline: Counters | null;
  hysteresis: LevelState;
  pendingNotice: PendingNotice | null;
  /** The call ended and was summarized: later samples are discarded. */
  closed: boolean;
}

export const NEW_METER: MeterState = { baseline: null, hysteresis: NO_LEVEL, pendingNotice: null, closed: false };

export type SampleOutcome = Exclude<Relation, 'one-second'> | 'second' | 'future' | 'call-ended';

/** Samples stamped further than this ahead of our clock are refused: one would block every later real sample. */
export const MAX_CLOCK_SKEW_MS = 60_000;

export interface Metered {
  state: MeterState;
  seconds: MeteredSecond[];
  changes: LevelChange[];
  outcomes: Partial<Record<SampleOutcome, number>>;
}

export function toReading(sample: QualitySample): Reading {
  return {
    atMs: Date.parse(sample.at),
    packetsReceived: sample.packetsReceived,
    packetsSent: sample.packetsSent,
    jitterMs: sample.jitterMs,
    rttMs: sample.rttMs,
  };
}

function rateSecond(measured: SecondMeasurement): RatedMeasurement {
  if (measured.lossRate === null) return { ...measured, level: null, mos: null };
  const metrics = { lossRate: measured.lossRate, jitterMs: measured.jitterMs, oneWayDelayMs: measured.oneWayDelayMs };
  return { ...measured, level: networkLevel(metrics), mos: estimateMos(metrics) };
}

const isRated = (second: MeteredSecond): second is RatedSecond => second.level !== null;

/**
 * Applies a batch of one call's readings, in time order whatever order they
 * came in: the seconds they measure (Table 2, Table 1, MOS), the published
 * level changes (hysteresis) and whether the OU manager is to be told.
 * Nothing is invented: a reading without one from 1 s before yields no second.
 */
export function meter(state: MeterState, readings: readonly Reading[], nowMs: number): Metered {
  const outcomes: Partial<Record<SampleOutcome, number>> = {};
  const count = (outcome: SampleOutcome) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);
  if (state.closed) {
    for (const _ of readings) count('call-ended');
    return { state, seconds: [], changes: [], outcomes };
  }
  let { baseline, hysteresis, pendingNotice } = state;
  const seconds: MeteredSecond[] = [];
  const changes: LevelChange[] = [];
  const inOrder = readings.length > 1 ? [...readings].sort((a, b) => a.atMs - b.atMs) : readings;
  for (const reading of inOrder) {
    if (reading.atMs > nowMs + MAX_CLOCK_SKEW_MS) {
      count('future');
      continue;
    }
    const relation = relate(baseline, reading);
    if (relation !== 'one-second') {
      count(relation);
      if (relation === 'first' || relation === 'reset' || relation === 'gap') baseline = countersOf(reading);
      continue;
    }
    count('second');
    const counters = countersOf(reading);
    const second: MeteredSecond = { ...rateSecond(measureSecond(baseline!, reading)), counters };
    baseline = counters;
    seconds.push(second);
    if (!isRated(second)) continue;
    const followed = followLevel(hysteresis, second.level);
    if (followed.changedTo) {
      changes.push({ from: hysteresis.level, to: followed.changedTo, second });
      if (!isPoorOrWorse(followed.changedTo)) pendingNotice = null;
      else if (!isPoorOrWorse(hysteresis.level)) pendingNotice = { level: followed.changedTo, second };
    }
    hysteresis = followed.state;
  }
  const unchanged = baseline === state.baseline && hysteresis === state.hysteresis && pendingNotice === state.pendingNotice;
  return { state: unchanged ? state : { baseline, hysteresis, pendingNotice, closed: false }, seconds, changes, outcomes };
}
