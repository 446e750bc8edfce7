import { jobType } from '@softphone/scheduler';

/** How long after its arrival a call still waiting is routed again by the durable job. */
export const ROUTE_AGAIN_AFTER_MS = 2_000;

export interface RouteWaiting {
  tenantId: string;
  callId: string;
  skillQueueId: string;
}

/**
 * An inbound call is recorded, then routed in a second transaction. This job,
 * written with the call (due ROUTE_AGAIN_AFTER_MS later, cancelled once the
 * call is offered or ends), routes it once if the process died in between.
 */
export const routeWaitingJob = jobType<RouteWaiting>('call.route-waiting', (p) => p.callId);

export const routeAgainAt = (arrivedAt: string) => new Date(Date.parse(arrivedAt) + ROUTE_AGAIN_AFTER_MS);
