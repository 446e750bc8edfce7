import { describe, expect, it } from '@jest/globals';
import { isPlainGatewayCall } from './gateway-samples.js';
import { CallSamples } from './quality.js';

const sample = {
  at: '2026-12-07T16:00:00.123Z',
  packetsReceived: 100,
  packetsSent: 102,
  jitterMs: 4.5,
  rttMs: 38,
};
const call = (...samples: unknown[]) => ({ callId: 'call-1', samples });
const withSample = (patch: Record<string, unknown>) => call({ ...sample, ...patch });
const without = (field: keyof typeof sample) => {
  const { [field]: _gone, ...rest } = sample;
  return call(rest);
};

/** Accepted by both, as given (nothing stripped). */
const plain: Array<[string, unknown]> = [
  ['a sample', call(sample)],
  ['3,600 samples', call(...Array.from({ length: 3_600 }, () => sample))],
  ['counters at 0', withSample({ packetsReceived: 0, packetsSent: 0 })],
  ['counters at 2^53 - 1', withSample({ packetsReceived: Number.MAX_SAFE_INTEGER, packetsSent: Number.MAX_SAFE_INTEGER })],
  ['jitter and RTT at 0', withSample({ jitterMs: 0, rttMs: 0 })],
  ['jitter at 60,000 ms', withSample({ jitterMs: 60_000 })],
  ['RTT at 60,000 ms', withSample({ rttMs: 60_000 })],
  ['a time with an offset', withSample({ at: '2026-12-07T17:00:00+01:00' })],
  ['a time without fraction', withSample({ at: '2026-12-07T16:00:00Z' })],
  ['a leap day', withSample({ at: '2028-02-29T16:00:00Z' })],
  ['a 64-character id', { callId: 'c'.repeat(64), samples: [sample] }],
  ['an id of every allowed character', { callId: 'aZ09._:-', samples: [sample] }],
];

/** Accepted by the schema, left to it (its output is not the input as given, or not a gateway's samples). */
const schemaOnly: Array<[string, unknown]> = [
  ['an extra field in a sample (stripped)', withSample({ codec: 'opus' })],
  ['getStats reports', { callId: 'call-1', reports: [{ stats: [{ type: 'codec', timestamp: 1 }] }] }],
];

/** Refused by both. */
const refused: Array<[string, unknown]> = [
  ['not an object', 'junk'],
  ['null', null],
  ['an array', [sample]],
  ['no samples', { callId: 'call-1' }],
  ['no samples and no reports', { callId: 'call-1', samples: [] }],
  ['3,601 samples', call(...Array.from({ length: 3_601 }, () => sample))],
  ['samples not an array', { callId: 'call-1', samples: sample }],
  ['both samples and reports', { ...call(sample), reports: [{ stats: [{ type: 'codec', timestamp: 1 }] }] }],
  ['an unknown field on the call', { ...call(sample), gateway: 'g1' }],
  ['no call id', { samples: [sample] }],
  ['an empty call id', { callId: '', samples: [sample] }],
  ['a 65-character id', { callId: 'c'.repeat(65), samples: [sample] }],
  ['an id with a space', { callId: 'call 1', samples: [sample] }],
  ['a numeric id', { callId: 1, samples: [sample] }],
  ['a sample not an object', call(42)],
  ['a null sample', call(null)],
  ['no at', without('at')],
  ['no packetsReceived', without('packetsReceived')],
  ['no packetsSent', without('packetsSent')],
  ['no jitterMs', without('jitterMs')],
  ['no rttMs', without('rttMs')],
  ['at as a number', withSample({ at: Date.parse(sample.at) })],
  ['at without offset', withSample({ at: '2026-12-07T16:00:00' })],
  ['at as a date only', withSample({ at: '2026-12-07' })],
  ['at with a space', withSample({ at: '2026-12-07 16:00:00Z' })],
  ['at on February 30', withSample({ at: '2026-02-30T16:00:00Z' })],
  ['at at hour 24', withSample({ at: '2026-12-07T24:00:00Z' })],
  ['negative packetsReceived', withSample({ packetsReceived: -1 })],
  ['negative packetsSent', withSample({ packetsSent: -1 })],
  ['fractional packetsReceived', withSample({ packetsReceived: 1.5 })],
  ['packetsSent of 2^53', withSample({ packetsSent: 2 ** 53 })],
  ['packetsReceived as text', withSample({ packetsReceived: '10' })],
  ['negative jitter', withSample({ jitterMs: -0.001 })],
  ['jitter above 60,000 ms', withSample({ jitterMs: 60_000.001 })],
  ['RTT above 60,000 ms', withSample({ rttMs: 60_001 })],
  ['negative RTT', withSample({ rttMs: -1 })],
  ['RTT of 1e308', withSample({ rttMs: 1e308 })],
  ['infinite jitter', withSample({ jitterMs: Infinity })],
  ['NaN RTT', withSample({ rttMs: NaN })],
  ['jitter as text', withSample({ jitterMs: '4' })],
  ['a null counter', withSample({ packetsSent: null })],
  ['one bad sample among good ones', call(sample, { ...sample, rttMs: 60_001 }, sample)],
];

describe("the gateways' sample check without zod (isPlainGatewayCall) and the schema (CallSamples)", () => {
  it.each(plain)('both accept %s, the schema changing nothing', (_, input) => {
    expect(isPlainGatewayCall(input)).toBe(true);
    const parsed = CallSamples.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(input);
  });

  it.each(schemaOnly)('the schema alone accepts %s (the check leaves it to the schema)', (_, input) => {
    expect(isPlainGatewayCall(input)).toBe(false);
    expect(CallSamples.safeParse(input).success).toBe(true);
  });

  it.each(refused)('both refuse %s', (_, input) => {
    expect(isPlainGatewayCall(input)).toBe(false);
    expect(CallSamples.safeParse(input).success).toBe(false);
  });
});
