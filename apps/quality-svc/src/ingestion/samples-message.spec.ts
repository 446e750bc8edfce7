import { describe, expect, it } from '@jest/globals';
import { ContractViolation } from '@softphone/contracts';
import type { IncomingMessage } from '@softphone/messaging';
import { decodeSamples } from './samples-message.js';

const NOW = Date.parse('2026-12-07T18:00:00.000Z');
const call = (callId: string) => ({
  callId,
  samples: [{ at: new Date(NOW).toISOString(), packetsReceived: 10, packetsSent: 10, jitterMs: 1, rttMs: 20 }],
});
const message = (value: unknown): IncomingMessage => ({
  topic: 'softphone.quality.samples.tenant-a',
  partition: 0,
  offset: '0',
  key: null,
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
  timestamp: NOW,
});
const decode = (value: unknown) => decodeSamples(message(value), 'tenant-a', NOW);
const violation = (value: unknown): { message: string; issues: unknown } => {
  try {
    decode(value);
  } catch (error) {
    if (error instanceof ContractViolation) return { message: error.message, issues: (error as { issues?: unknown }).issues ?? null };
    throw error;
  }
  throw new Error('decoded');
};

describe("a samples topic message's envelope", () => {
  it("takes a plain envelope's calls, with or without the topic's tenant, other keys ignored", () => {
    expect(decode({ calls: [call('c1'), call('c2')] }).map((c) => c.callId)).toEqual(['c1', 'c2']);
    expect(decode({ tenantId: 'tenant-a', calls: [call('c1')], gateway: 'gw-1' }).map((c) => c.callId)).toEqual(['c1']);
  });

  it("refuses another tenant's claim and every malformed envelope with the field at fault", () => {
    expect(violation({ tenantId: 'tenant-b', calls: [call('c1')] }).message).toContain('claims tenant tenant-b');
    expect(violation('not json').message).toBe('message is not JSON');
    for (const [value, path] of [
      [[call('c1')], []],
      [null, []],
      [{ tenantId: null, calls: [call('c1')] }, ['tenantId']],
      [{ tenantId: '', calls: [call('c1')] }, ['tenantId']],
      [{ tenantId: 'tenant a', calls: [call('c1')] }, ['tenantId']],
      [{ tenantId: 'x'.repeat(65), calls: [call('c1')] }, ['tenantId']],
      [{ calls: [] }, ['calls']],
      [{ calls: {} }, ['calls']],
      [{ calls: Array.from({ length: 10_001 }, () => 0) }, ['calls']],
    ] as const) {
      const { message: text, issues } = violation(value);
      expect(text).toBe('invalid quality sample batch');
      expect((issues as Array<{ path: unknown }>)[0].path).toEqual(path);
    }
  });
});
