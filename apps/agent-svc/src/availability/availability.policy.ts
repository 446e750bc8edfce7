import type { NotRespondingReason } from '@softphone/contracts';

/** What the board and the agent's own view show of the agent's readiness for calls. */
export type Availability = 'idle' | 'ringing' | 'occupied' | 'wrap-up' | 'not-responding' | 'softphone-unreachable';

export interface AvailabilityFacts {
  call: { callId: string; phase: 'ringing' | 'talking' } | null;
  wrapUp: { callId: string; until: string } | null;
  notResponding: { callId: string; reason: NotRespondingReason } | null;
  softphoneReachable: boolean;
}

/**
 * One availability from the agent's facts, the call it is on first. Guide: "The WebRTC phone is in talking
 * state and displayed in green, and the agent is in occupied state." Issue 10: "The board and the agent's own
 * view show a `ringing` (or `reserved`) availability the moment a call is placed or offered"; then the states
 * that keep an agent from calls: `not-responding`, `wrap-up`, `softphone-unreachable`.
 */
export function availabilityOf(facts: AvailabilityFacts): Availability {
  if (facts.call) return facts.call.phase === 'talking' ? 'occupied' : 'ringing';
  if (facts.notResponding) return 'not-responding';
  if (facts.wrapUp) return 'wrap-up';
  if (!facts.softphoneReachable) return 'softphone-unreachable';
  return 'idle';
}
