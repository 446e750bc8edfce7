import { describe, expect, it } from '@jest/globals';
import { availabilityOf, type AvailabilityFacts } from './availability.policy.js';

const free: AvailabilityFacts = { call: null, wrapUp: null, notResponding: null, softphoneReachable: true };

describe('availability policy', () => {
  it('shows the call first: ringing from the moment it is placed or offered, occupied while talking', () => {
    expect(availabilityOf({ ...free, call: { callId: 'c1', phase: 'ringing' } })).toBe('ringing');
    expect(availabilityOf({ ...free, call: { callId: 'c1', phase: 'talking' }, softphoneReachable: false })).toBe('occupied');
  });
  it('then what keeps the agent from calls: not responding, wrap-up, an unreachable softphone', () => {
    const notResponding = { callId: 'c1', reason: 'ring-timeout' } as const;
    const wrapUp = { callId: 'c1', until: '2026-11-24T10:00:30.000Z' };
    expect(availabilityOf({ ...free, notResponding, wrapUp })).toBe('not-responding');
    expect(availabilityOf({ ...free, wrapUp, softphoneReachable: false })).toBe('wrap-up');
    expect(availabilityOf({ ...free, softphoneReachable: false })).toBe('softphone-unreachable');
    expect(availabilityOf(free)).toBe('idle');
  });
});
