import { describe, expect, it } from '@jest/globals';
import type { CallSamples } from '@softphone/contracts';
import { NEW_METER } from '../metering/call-meter.js';
import { PartitionMeters, UNKNOWN_CALL_HOLD_MS, type CallFacts, type LiveMeter } from './partition-meters.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const FROM_START = { resumeOffset: null, writtenOffset: null };

/** Call `callId`'s sample of second k: 50 packets a second, none lost. */
const sample = (callId: string, k: number): CallSamples => ({
  callId,
  samples: [{ at: new Date(T0 + k * 1000).toISOString(), packetsReceived: 50 * k, packetsSent: 50 * k, jitterMs: 2, rttMs: 30 }],
});

const known = (callId: string, meterId = '1'): CallFacts => ({
  known: true,
  meter: { meterId, callId, agentId: null, state: NEW_METER, version: 0, lastSampleMs: T0 } satisfies LiveMeter,
});

describe('the meters of a samples partition', () => {
  it('measures each message in offset order and checkpoints seconds, changed meters, events and the next offset once', () => {
    const meters = new PartitionMeters('t1', FROM_START);
    const facts = new Map([['c1', known('c1')]]);
    meters.apply('10', [sample('c1', 0)], facts, T0);
    meters.apply('11', [sample('c1', 1)], new Map(), T0);
    meters.apply('12', [sample('c1', 2)], new Map(), T0);
    const taken = meters.take(true);
    expect(taken.writtenOffset).toBe('13');
    expect(taken.snapshot).toEqual({ resumeOffset: '13' });
    expect(taken.seconds.instants()).toEqual([T0 + 1000, T0 + 2000]);
    expect(taken.meters).toHaveLength(1);
    expect(taken.events.flatMap((e) => e.events.map((x) => x.type))).toEqual(['quality.level-changed']);
    expect(taken.outcomes).toEqual({ first: 1, second: 2 });
    expect(meters.take(true)).toMatchObject({ writtenOffset: '13', seconds: { size: 0 }, meters: [], events: [], outcomes: {} });
  });

  it('replays messages already measured (before a crash) into the meters without measuring them again', () => {
    const live = new PartitionMeters('t1', FROM_START);
    const facts = known('c1');
    for (let k = 0; k < 6; k++) live.apply(String(k), [sample('c1', k)], k === 0 ? new Map([['c1', facts]]) : new Map(), T0);
    const before = live.take(false);
    // A new owner: the snapshot resumed at 0, seconds and events written up to 4.
    const again = new PartitionMeters('t1', { resumeOffset: '0', writtenOffset: '4' });
    for (let k = 0; k < 6; k++) again.apply(String(k), [sample('c1', k)], k === 0 ? new Map([['c1', known('c1')]]) : new Map(), T0);
    const after = again.take(true);
    expect(after.seconds.instants()).toEqual([T0 + 4000, T0 + 5000]);
    expect(after.events).toEqual([]);
    expect(after.outcomes).toEqual({ second: 2 });
    expect(after.meters[0]).toMatchObject({ state: (facts as { meter: LiveMeter }).meter.state, version: 1 });
    expect(before.seconds.size).toBe(5);
  });

  it('writes a failed checkpoint with the next one', () => {
    const meters = new PartitionMeters('t1', { resumeOffset: '0', writtenOffset: null });
    meters.apply('0', [sample('c1', 0)], new Map([['c1', known('c1')]]), T0);
    meters.apply('1', [sample('c1', 1)], new Map(), T0);
    const failed = meters.take(false);
    // Not a snapshot: only the meter with events (its first level) is saved.
    expect(failed.meters.map((m) => m.meter.callId)).toEqual(['c1']);
    meters.apply('2', [sample('c1', 2)], new Map(), T0);
    meters.giveBack(failed);
    const next = meters.take(true);
    expect(next.writtenOffset).toBe('3');
    expect(next.meters).toHaveLength(1);
    expect(next.seconds.instants()).toEqual([T0 + 1000, T0 + 2000]);
    expect(next.events).toHaveLength(1);
  });

  it('holds samples of an unknown call, without passing their offset, until the call is known or for 10 s', () => {
    const meters = new PartitionMeters('t1', FROM_START);
    meters.apply('5', [sample('late', 0)], new Map([['late', { known: false }]]), T0);
    meters.apply('6', [sample('never', 0), sample('late', 1)], new Map([['never', { known: false }]]), T0);
    expect(meters.heldCalls().sort()).toEqual(['late', 'never']);
    expect(meters.take(true)).toMatchObject({ writtenOffset: '7', snapshot: { resumeOffset: '5' } });
    meters.release(
      new Map([
        ['late', known('late')],
        ['never', { known: false }],
      ]),
      T0 + 1_000,
    );
    expect(meters.take(true)).toMatchObject({ snapshot: { resumeOffset: '6' }, outcomes: { first: 1, second: 1 } });
    meters.release(new Map([['never', { known: false }]]), T0 + UNKNOWN_CALL_HOLD_MS);
    expect(meters.heldCalls()).toEqual([]);
    expect(meters.take(true)).toMatchObject({ snapshot: { resumeOffset: '7' }, outcomes: { 'unknown-call': 1 } });
  });

  it('discards samples of a call found closed, and forgets idle meters', () => {
    const meters = new PartitionMeters('t1', FROM_START);
    const facts = known('c1');
    meters.apply('0', [sample('c1', 0)], new Map([['c1', facts]]), T0);
    meters.take(true);
    meters.closed([(facts as { meter: LiveMeter }).meter]);
    meters.apply('1', [sample('c1', 1)], new Map(), T0);
    expect(meters.take(true)).toMatchObject({ seconds: { size: 0 }, outcomes: { 'call-ended': 1 } });
    meters.evictIdle(T0 + 60_000);
    expect(meters.size).toBe(0);
  });
});
