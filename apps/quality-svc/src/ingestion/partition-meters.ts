import type { CallSamples } from '@softphone/contracts';
import type { CallReading } from '../metering/cadence.js';
import { meter, type MeterState, type SampleOutcome } from '../metering/call-meter.js';
import { callQualityDecider, type CallQualityEvent, type CallQualityState } from '../call-quality/call-quality.decider.js';
import { commandsOf, readingsOf } from './call-readings.js';
import { SecondsColumns } from './seconds-columns.js';

/** A call's meter while its partition is owned here. */
export interface LiveMeter {
  /** Keys the call's measured seconds (bigint as text). */
  meterId: string;
  callId: string;
  agentId: string | null;
  state: MeterState;
  /** The version of the call quality stream, with the events not checkpointed yet. */
  version: number;
  lastSampleMs: number;
}

/** A call's facts as loaded when its first sample comes: unknown (no such call of the tenant yet) or its meter. */
export type CallFacts = { known: false } | { known: true; meter: LiveMeter };

export type Outcome = SampleOutcome | 'no-media' | 'unknown-call';

/**
 * What a checkpoint writes: the seconds, events and outcomes of everything
 * applied up to `writtenOffset` (exclusive) not yet checkpointed; a snapshot
 * also the meters changed since the last one, and the offset to resume from.
 */
export interface Checkpoint {
  writtenOffset: string | null;
  /** Snapshots only: consumption resumes here after a crash or a rebalance (null: from the beginning). */
  snapshot: { resumeOffset: string | null } | null;
  meters: Array<{ meter: LiveMeter; state: MeterState; version: number }>;
  /** Measured seconds as columns (their rows own `LiveMeter`s). */
  seconds: SecondsColumns;
  events: Array<{ meter: LiveMeter; expectedVersion: number; events: CallQualityEvent[] }>;
  outcomes: Partial<Record<Outcome, number>>;
}

interface Held {
  offset: bigint;
  sinceMs: number;
  calls: CallSamples[];
}

/** Samples of a call the tenant does not have (yet: call-svc's facts come asynchronously) are held this long, then dropped. */
export const UNKNOWN_CALL_HOLD_MS = 10_000;
/** At most this many unknown calls held per partition: memory stays bounded whatever a gateway sends. */
export const MAX_HELD_CALLS = 10_000;
/** A meter without samples this long leaves memory once checkpointed (an ended call, a moved one). */
export const IDLE_METER_MS = 30_000;

/** The call quality stream's state, as a meter holds it. */
export const streamState = (state: MeterState): CallQualityState => ({
  level: state.hysteresis.level,
  poorSince: state.alert.poorSinceMs === null ? null : new Date(state.alert.poorSinceMs).toISOString(),
  summarized: state.closed,
});

/**
 * The meters of one samples-topic partition (one tenant's topic), in memory:
 * each message's calls go through the pure meter (per call, in offset order)
 * and the decider; measured seconds, changed states and events wait here for
 * the next checkpoint. No I/O: the consumer loads facts and writes checkpoints.
 */
export class PartitionMeters {
  private readonly meters = new Map<string, LiveMeter>();
  private readonly held = new Map<string, Held>();
  private pending = nothingPending();
  private changed = new Set<LiveMeter>();
  private pendingSeconds = new SecondsColumns();

  /** The offset of the next message to apply; null: whatever comes first. */
  nextOffset: string | null;
  /** Messages before this one are measured already (seconds and events written): replayed, they only rebuild the meters. */
  private readonly writtenOffset: bigint | null;

  constructor(
    readonly tenantId: string,
    position: { resumeOffset: string | null; writtenOffset: string | null },
  ) {
    this.nextOffset = position.resumeOffset;
    this.writtenOffset = position.writtenOffset === null ? null : BigInt(position.writtenOffset);
  }

  /** Calls of these messages whose facts are needed before they can be applied. */
  missing(calls: readonly CallSamples[]): string[] {
    const missing = new Set<string>();
    for (const { callId } of calls) if (!this.meters.has(callId) && !this.held.has(callId)) missing.add(callId);
    return [...missing];
  }

  /** Held calls to look up again. */
  heldCalls(): string[] {
    return [...this.held.keys()];
  }

  /** Applies one message's calls (facts of every call loaded: `missing` is empty or looked up). */
  apply(offset: string, calls: readonly CallSamples[], facts: ReadonlyMap<string, CallFacts>, nowMs: number): void {
    const at = BigInt(offset);
    const replayed = this.replayed(at);
    for (const call of calls) {
      const live = this.meters.get(call.callId) ?? this.adopt(call.callId, facts.get(call.callId));
      if (live) this.measure(live, [call], nowMs, replayed);
      else this.hold(call, at, nowMs);
    }
    this.nextOffset = String(at + 1n);
  }

  /** Held calls now known get their samples applied; those held too long are dropped. */
  release(facts: ReadonlyMap<string, CallFacts>, nowMs: number): void {
    for (const [callId, held] of this.held) {
      const live = this.adopt(callId, facts.get(callId));
      if (live) {
        this.held.delete(callId);
        this.measure(live, held.calls, nowMs, this.replayed(held.offset));
      } else if (nowMs - held.sinceMs >= UNKNOWN_CALL_HOLD_MS) {
        this.held.delete(callId);
        this.count(
          'unknown-call',
          held.calls.reduce((n, c) => n + (c.samples?.length ?? c.reports?.length ?? 0), 0),
        );
      }
    }
  }

  /**
   * Takes what the next checkpoint writes; a snapshot takes the changed meters
   * too. Its resume offset never passes a held sample's message: after a crash,
   * the messages from there on come again (samples the meters already took are
   * duplicates the cadence ignores).
   */
  take(snapshot: boolean): Checkpoint {
    let resumeOffset = this.nextOffset;
    for (const { offset } of this.held.values()) if (resumeOffset === null || offset < BigInt(resumeOffset)) resumeOffset = String(offset);
    const taken: Checkpoint = {
      ...this.pending,
      writtenOffset: this.nextOffset,
      snapshot: snapshot ? { resumeOffset } : null,
      // Meters with events are saved every time (the API reads their level and alert from the row), the others in snapshots.
      meters: [...(snapshot ? this.changed : new Set(this.pending.events.map((e) => e.meter)))].map((m) => ({
        meter: m,
        state: m.state,
        version: m.version,
      })),
      seconds: this.pendingSeconds,
    };
    if (snapshot) this.changed = new Set();
    else for (const { meter: m } of taken.meters) this.changed.delete(m);
    this.pending = nothingPending();
    this.pendingSeconds = new SecondsColumns(taken.seconds.size);
    return taken;
  }

  /** A checkpoint that failed (not fenced): its writes go with the next one. */
  giveBack(c: Checkpoint): void {
    for (const { meter: m } of c.meters) this.changed.add(m);
    this.pendingSeconds = c.seconds.followedBy(this.pendingSeconds);
    this.pending.events.unshift(...c.events);
    for (const [outcome, n] of Object.entries(c.outcomes) as Array<[Outcome, number]>) this.count(outcome, n);
  }

  /** Calls found closed (summarized) by a checkpoint: later samples are discarded. */
  closed(meters: readonly LiveMeter[]): void {
    for (const m of meters) m.state = { ...m.state, closed: true };
  }

  /** Meters another owner moved (a call metered under two partitions): forgotten, the next sample loads the stored one. */
  forget(meters: readonly LiveMeter[]): void {
    for (const m of meters) {
      if (this.meters.get(m.callId) === m) this.meters.delete(m.callId);
      this.changed.delete(m);
    }
  }

  /** Meters idle for IDLE_METER_MS leave memory once their state is in a snapshot (call after a successful checkpoint). */
  evictIdle(nowMs: number): void {
    for (const [callId, m] of this.meters) {
      if (nowMs - m.lastSampleMs >= IDLE_METER_MS && !this.changed.has(m)) this.meters.delete(callId);
    }
  }

  /** Seconds waiting for a checkpoint: the consumer waits while there are too many. */
  backlog(): number {
    return this.pendingSeconds.size;
  }

  get size(): number {
    return this.meters.size;
  }

  private adopt(callId: string, facts: CallFacts | undefined): LiveMeter | null {
    if (!facts?.known) return null;
    this.meters.set(callId, facts.meter);
    return facts.meter;
  }

  private hold(call: CallSamples, offset: bigint, nowMs: number): void {
    const held = this.held.get(call.callId);
    if (held) return void held.calls.push(call);
    if (this.held.size >= MAX_HELD_CALLS) return this.count('unknown-call', call.samples?.length ?? call.reports?.length ?? 0);
    this.held.set(call.callId, { offset, sinceMs: nowMs, calls: [call] });
  }

  private replayed(offset: bigint): boolean {
    return this.writtenOffset !== null && offset < this.writtenOffset;
  }

  /**
   * One call's samples of one message through its meter and the decider. A
   * replayed message (measured before a crash or a rebalance) only rebuilds the
   * meter: the same seconds and events come out (pure, same order), already written.
   */
  private measure(live: LiveMeter, calls: readonly CallSamples[], nowMs: number, replayed: boolean): void {
    live.lastSampleMs = nowMs;
    let readings: CallReading[] = [];
    let noMedia = 0;
    for (const call of calls) {
      const of = readingsOf(call);
      readings = readings.length === 0 ? of.readings : readings.concat(of.readings);
      noMedia += of.noMedia;
    }
    const metered = meter(live.state, readings);
    if (!replayed) {
      for (const outcome in metered.outcomes) this.count(outcome as Outcome, metered.outcomes[outcome as SampleOutcome]!);
      this.count('no-media', noMedia);
    }
    if (metered.state === live.state) return;
    const commands = commandsOf(live.callId, live.agentId, metered);
    if (commands.length > 0) {
      let stream = streamState(live.state);
      const events: CallQualityEvent[] = [];
      for (const command of commands) {
        const decided = callQualityDecider.decide(command, stream);
        stream = decided.reduce(callQualityDecider.evolve, stream);
        events.push(...decided);
      }
      if (events.length > 0) {
        if (!replayed) this.pending.events.push({ meter: live, expectedVersion: live.version, events });
        live.version += events.length;
      }
    }
    live.state = metered.state;
    this.changed.add(live);
    if (!replayed) for (const second of metered.seconds) this.pendingSeconds.add(live, second);
  }

  private count(outcome: Outcome, n: number): void {
    if (n > 0) this.pending.outcomes[outcome] = (this.pending.outcomes[outcome] ?? 0) + n;
  }
}

function nothingPending(): Pick<Checkpoint, 'events' | 'outcomes'> {
  return { events: [], outcomes: {} };
}
