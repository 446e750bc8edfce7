/**
 * When each timer of a call is due. Pure: instants in, instants out.
 * The deciders and jobs take their due times from here, nowhere else.
 */

/**
 * Guide: "When a user dials the access code of a skill queue, the agent waits for about two seconds and
 * automatically answers the call."
 */
export const AUTO_ANSWER_DELAY_MS = 2_000;

/**
 * The auto-answer of an offered call. Guide: "When a user dials the access code of a skill queue, the agent
 * waits for about two seconds and automatically answers the call." and "When a user dials the access code of
 * an IVR device and the call is transferred to an agent, the agent automatically answers the call 2 seconds
 * after the user hears the announcement."
 */
export function autoAnswerDueAt(offeredAt: string, announcementEndsAt: string | null): string {
  const start = Math.max(Date.parse(offeredAt), announcementEndsAt ? Date.parse(announcementEndsAt) : 0);
  return new Date(start + AUTO_ANSWER_DELAY_MS).toISOString();
}

/**
 * Issue 10: "If the agent's softphone does not confirm media within a bound after the auto-answer (default
 * 5 s, tenant parameter), the call is re-queued at its head and the agent goes to `not-responding`".
 */
export function answerGuardDueAt(connectedAt: string, guardSeconds: number): string {
  return new Date(Date.parse(connectedAt) + guardSeconds * 1000).toISOString();
}

/** Issue 10: "Same for an outbound call the agent's phone never answers (ring timeout)." */
export function ringTimeoutDueAt(placedAt: string, ringTimeoutSeconds: number): string {
  return new Date(Date.parse(placedAt) + ringTimeoutSeconds * 1000).toISOString();
}

/**
 * Issue 10: "After a call ends the agent is in `wrap-up` for a tenant-configured time (default 0 = off)".
 * Null when wrap-up is off.
 */
export function wrapUpUntil(endedAt: string, wrapUpSeconds: number): string | null {
  return wrapUpSeconds > 0 ? new Date(Date.parse(endedAt) + wrapUpSeconds * 1000).toISOString() : null;
}

/**
 * Issue 10: "an unknown destination is held briefly (bounded, e.g. 5 s) before it is disconnected": call-svc
 * may not have heard yet of an access code (or agent) created a moment ago.
 */
export const HOLD_UNKNOWN_DESTINATION_MS = 5_000;

export function unknownDestinationDeadline(arrivedAt: string): string {
  return new Date(Date.parse(arrivedAt) + HOLD_UNKNOWN_DESTINATION_MS).toISOString();
}
