import type { MediaKind, QualityLevel, QualitySide } from '@softphone/contracts';
import type { MeteredSecond, StreamSecond } from '../metering/call-meter.js';

/**
 * A measured second's `streams` column: null when the second has one stream and
 * it is not silent, which the second's own columns then hold whole (the common
 * gateway call: no JSON to write or to parse); else every stream as JSON.
 */
export const storedStreams = (s: MeteredSecond): string | null =>
  s.streams.length === 1 && !s.worst.noAudio ? null : JSON.stringify(s.streams);

/** The columns of a stored second that describe its worst stream. */
export interface WorstStreamColumns {
  kind: MediaKind;
  side: QualitySide;
  level: QualityLevel;
  oneWay: boolean;
  packetsReceived: number | null;
  packetsSent: number | null;
  lossRate: number | null;
  jitterMs: number;
  oneWayDelayMs: number | null;
  mos: number | null;
}

/** A stored second's streams: its `streams` column, or (null) the one stream its columns hold. */
export function streamsOf(stored: StreamSecond[] | null, worst: WorstStreamColumns): StreamSecond[] {
  if (stored !== null) return stored;
  const { kind, side, level, oneWay, packetsReceived, packetsSent, lossRate, jitterMs, oneWayDelayMs, mos } = worst;
  return [
    { kind, side, packetsReceived, packetsSent, lossRate, jitterMs, oneWayDelayMs, level, mos, noAudio: false, oneWay, silentSeconds: 0 },
  ];
}
