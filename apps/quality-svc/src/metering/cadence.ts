import type { MediaKind } from '@softphone/contracts';
import { countersWentDown, type Counters, type Gauges } from './second-measurement.js';

/**
 * The cadence rule: whatever the sender's cadence (100 ms to 5 s), a call yields
 * one measured second per elapsed second. The call's seconds end on a grid
 * anchored on its first reading (origin + k × 1 s). A second ends at the first
 * reading within ±ONE_SECOND_TOLERANCE_MS of its grid point; when no reading
 * falls there (the closest one when several do), the cumulative counters are interpolated linearly (and rounded)
 * between the readings around it, and the second is flagged `interpolated`.
 * Each second starts where the previous one ended, so no packet is counted twice
 * or dropped. Readings arrive in time order per call; an older one is ignored.
 */
export const ONE_SECOND_TOLERANCE_MS = 100;
/** Readings further apart than this (a 5 s cadence, with 10 % slack) are a gap: nothing is interpolated across it. */
export const MAX_INTERPOLATED_SPAN_MS = 5_500;

/** One media stream of a call as measured at an instant (the agent being the recipient). */
export interface StreamReading extends Counters, Gauges {
  /** The remote end's own count of packets it sent (stepwise: RTCP sender reports); null when not reported. */
  remoteSent: number | null;
  /** Packets the agent sent on this stream (outbound-rtp); null when not reported. */
  agentSent: number | null;
  /** The remote end's latest receiver report on what the agent sent (remote-inbound-rtp); null when none. */
  remoteReceive: { lossRate: number; jitterMs: number; rttMs: number | null } | null;
}

/** Every stream of a call at one instant: one gateway sample (audio) or one getStats report. */
export interface CallReading {
  atMs: number;
  streams: Partial<Record<MediaKind, StreamReading>>;
}

type StreamCounters = Partial<Record<MediaKind, Counters>>;

export interface CadenceState {
  /** The latest reading taken. */
  last: CallReading;
  /** Each stream's counters where the latest measured second ended (or at the origin). */
  endCounters: StreamCounters;
  /** The next second's grid point. */
  nextEndMs: number;
  /** The latest reading is within tolerance of that grid point but before it: it ends that second unless the next reading is closer. */
  held: boolean;
}

/** A second the cadence yields: each stream's counters at its start and end, and the reading whose gauges apply. */
export interface Span {
  atMs: number;
  interpolated: boolean;
  start: StreamCounters;
  end: StreamCounters;
  reading: CallReading;
}

export type ReadingOutcome = 'first' | 'duplicate' | 'out-of-order' | 'reset' | 'gap' | 'early' | 'second';

export interface Advanced {
  state: CadenceState;
  spans: Span[];
  outcome: ReadingOutcome;
}

const countersOf = (reading: CallReading): StreamCounters => {
  const counters: StreamCounters = {};
  for (const [kind, s] of Object.entries(reading.streams) as Array<[MediaKind, StreamReading]>) {
    counters[kind] = { packetsReceived: s.packetsReceived, packetsSent: s.packetsSent };
  }
  return counters;
};

const anchoredAt = (reading: CallReading): CadenceState => ({
  last: reading,
  endCounters: countersOf(reading),
  nextEndMs: reading.atMs + 1000,
  held: false,
});

function anyCounterWentDown(before: CallReading, after: CallReading): boolean {
  return (Object.keys(after.streams) as MediaKind[]).some((kind) => {
    const [b, a] = [before.streams[kind], after.streams[kind]];
    return b !== undefined && a !== undefined && countersWentDown(b, a);
  });
}

/** Each stream's counters at `atMs`, linearly between two readings and rounded (streams in both only). */
function interpolate(before: CallReading, after: CallReading, atMs: number): StreamCounters {
  const f = (atMs - before.atMs) / (after.atMs - before.atMs);
  const at = (x: number, y: number) => Math.round(x + (y - x) * f);
  const counters: StreamCounters = {};
  for (const kind of Object.keys(after.streams) as MediaKind[]) {
    const [b, a] = [before.streams[kind], after.streams[kind]];
    if (b && a)
      counters[kind] = { packetsReceived: at(b.packetsReceived, a.packetsReceived), packetsSent: at(b.packetsSent, a.packetsSent) };
  }
  return counters;
}

/** Takes one reading of a call: the seconds it completes. */
export function advance(state: CadenceState | null, reading: CallReading): Advanced {
  if (!state) return { state: anchoredAt(reading), spans: [], outcome: 'first' };
  const elapsed = reading.atMs - state.last.atMs;
  if (elapsed === 0) return { state, spans: [], outcome: 'duplicate' };
  if (elapsed < 0) return { state, spans: [], outcome: 'out-of-order' };
  const spans: Span[] = [];
  let { endCounters, nextEndMs } = state;
  const end = (atMs: number, counters: StreamCounters, interpolated: boolean, at: CallReading) => {
    spans.push({ atMs, interpolated, start: endCounters, end: counters, reading: at });
    [endCounters, nextEndMs] = [counters, nextEndMs + 1000];
  };
  const distance = (r: CallReading) => Math.abs(r.atMs - nextEndMs);
  const supersedes = reading.atMs <= nextEndMs + ONE_SECOND_TOLERANCE_MS && distance(reading) < distance(state.last);
  if (state.held && !supersedes) end(state.last.atMs, countersOf(state.last), false, state.last);
  if (anyCounterWentDown(state.last, reading)) return { state: anchoredAt(reading), spans, outcome: 'reset' };
  if (elapsed > MAX_INTERPOLATED_SPAN_MS) return { state: anchoredAt(reading), spans, outcome: 'gap' };
  let held = false;
  while (reading.atMs >= nextEndMs - ONE_SECOND_TOLERANCE_MS) {
    if (reading.atMs > nextEndMs + ONE_SECOND_TOLERANCE_MS) {
      end(nextEndMs, interpolate(state.last, reading, nextEndMs), true, reading);
    } else if (reading.atMs < nextEndMs && elapsed < 2 * (nextEndMs - reading.atMs)) {
      // A reading before the grid point, with the next one likely closer to it: held until that one comes.
      held = true;
      break;
    } else {
      end(reading.atMs, countersOf(reading), false, reading);
    }
  }
  return {
    state: { last: reading, endCounters, nextEndMs, held },
    spans,
    outcome: spans.length > 0 ? 'second' : 'early',
  };
}
