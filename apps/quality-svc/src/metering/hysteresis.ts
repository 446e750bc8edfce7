import type { QualityLevel } from '@softphone/contracts';
import { milder, severity, worse } from './network-level.js';

/**
 * The published level of a call only moves when the seconds insist: a worse
 * level after CONFIRM_WORSE_SECONDS rated seconds in a row all worse than it, a
 * better one after CONFIRM_BETTER_SECONDS in a row all better. A line flapping
 * around a bound therefore changes level at most once per few seconds, and
 * degradation is reported faster than recovery.
 */
export const CONFIRM_WORSE_SECONDS = 3;
export const CONFIRM_BETTER_SECONDS = 5;

export interface Streak {
  direction: 'worse' | 'better';
  seconds: number;
  /** Where the level goes if the streak is confirmed: the mildest of a worse streak, the worst of a better one. */
  level: QualityLevel;
}

export interface LevelState {
  /** The published level; null until the first rated second. */
  level: QualityLevel | null;
  streak: Streak | null;
}

export const NO_LEVEL: LevelState = { level: null, streak: null };

export interface Followed {
  state: LevelState;
  /** The newly published level, when this second changed it. */
  changedTo: QualityLevel | null;
}

/** Feeds one rated second's level into the hysteresis. The first rated second publishes a level at once. */
export function followLevel(state: LevelState, observed: QualityLevel): Followed {
  if (state.level === null) return { state: { level: observed, streak: null }, changedTo: observed };
  if (observed === state.level) return { state: state.streak === null ? state : { level: state.level, streak: null }, changedTo: null };
  const direction = severity(observed) > severity(state.level) ? 'worse' : 'better';
  const continued = state.streak?.direction === direction ? state.streak : null;
  const streak: Streak = {
    direction,
    seconds: (continued?.seconds ?? 0) + 1,
    level: continued ? (direction === 'worse' ? milder : worse)(continued.level, observed) : observed,
  };
  const needed = direction === 'worse' ? CONFIRM_WORSE_SECONDS : CONFIRM_BETTER_SECONDS;
  if (streak.seconds < needed) return { state: { level: state.level, streak }, changedTo: null };
  return { state: { level: streak.level, streak: null }, changedTo: streak.level };
}
