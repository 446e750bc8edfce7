import { ID_PATTERN, TIMESTAMP_PATTERN } from '../common.js';
import { MAX_DELAY_MS, type CallSamples } from './quality.js';

/** The fields of a gateway's sample (QualitySample), all required. */
const SAMPLE_FIELDS = 5;
const MAX_SAMPLES = 3_600;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPackets = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isDelayMs = (v: unknown) => typeof v === 'number' && v >= 0 && v <= MAX_DELAY_MS;

function isSample(s: unknown): boolean {
  if (!isRecord(s)) return false;
  let fields = 0;
  for (const _ in s) fields++;
  return (
    fields === SAMPLE_FIELDS &&
    typeof s.at === 'string' &&
    TIMESTAMP_PATTERN.test(s.at) &&
    isPackets(s.packetsReceived) &&
    isPackets(s.packetsSent) &&
    isDelayMs(s.jitterMs) &&
    isDelayMs(s.rttMs)
  );
}

/**
 * The gateways' common case checked by hand, without zod (the samples topic's
 * hot path): `{ callId, samples }` with exactly the five fields of each sample,
 * every one in range. True only for what `CallSamples` accepts as it is (same
 * output: nothing to strip); false for anything else, which then goes through
 * `CallSamples`, the documented schema, for its verdict and its error (field and
 * reason). gateway-samples.spec.ts proves both agree on a table of cases.
 */
export function isPlainGatewayCall(call: unknown): call is CallSamples {
  if (!isRecord(call)) return false;
  let fields = 0;
  for (const _ in call) fields++;
  const { callId, samples } = call;
  if (fields !== 2 || typeof callId !== 'string' || callId.length > 64 || !ID_PATTERN.test(callId)) return false;
  if (!Array.isArray(samples) || samples.length === 0 || samples.length > MAX_SAMPLES) return false;
  for (const s of samples) if (!isSample(s)) return false;
  return true;
}
