/**
 * One-way audio: a receiving end got nothing for ONE_WAY_AFTER_SECONDS seconds
 * in a row or more while the sending end reports it kept sending (its own
 * sent counter moved since the silence began). Silence alone (both ends quiet,
 * or nothing reported by the sender) is no-audio, not one-way.
 */
export const ONE_WAY_AFTER_SECONDS = 3;

export interface SilenceTrack {
  /** Consecutive silent seconds so far. */
  seconds: number;
  /** The sender's count where the silence began. */
  senderAtStart: number | null;
  /** The sender's count at the end of the latest second. */
  lastSender: number | null;
}

export const NO_SILENCE: SilenceTrack = { seconds: 0, senderAtStart: null, lastSender: null };

export interface Silence {
  track: SilenceTrack;
  /** Consecutive silent seconds, this one included (0: not silent). */
  seconds: number;
  oneWay: boolean;
}

/** Follows one second of one direction: whether the receiver got nothing, and the sender's own count (null: unknown). */
export function followSilence(track: SilenceTrack, silent: boolean, sender: number | null): Silence {
  if (!silent) return { track: { seconds: 0, senderAtStart: null, lastSender: sender }, seconds: 0, oneWay: false };
  const senderAtStart = track.seconds === 0 ? (track.lastSender ?? sender) : track.senderAtStart;
  const seconds = track.seconds + 1;
  const oneWay = seconds >= ONE_WAY_AFTER_SECONDS && sender !== null && senderAtStart !== null && sender > senderAtStart;
  return { track: { seconds, senderAtStart, lastSender: sender }, seconds, oneWay };
}
