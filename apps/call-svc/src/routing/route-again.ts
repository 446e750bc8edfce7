import type { UnitOfWork } from '@softphone/event-store';
import type { DurableScheduler } from '@softphone/scheduler';

export const ROUTE_WAITING_JOB = 'call.route-waiting';
/** How long after its arrival a call still waiting is routed again by the durable job. */
export const ROUTE_AGAIN_AFTER_MS = 2_000;

export interface RouteWaiting {
  tenantId: string;
  callId: string;
  skillQueueId: string;
}

export const routeWaitingJobId = (callId: string) => `${ROUTE_WAITING_JOB}:${callId}`;

/** Schedules, in the transaction that records an inbound call, a durable second routing of it (cancelled when it is offered or ends). */
export function scheduleRouteAgain(scheduler: DurableScheduler, uow: UnitOfWork, payload: RouteWaiting, now: Date): Promise<void> {
  return scheduler.schedule(uow, {
    id: routeWaitingJobId(payload.callId),
    kind: ROUTE_WAITING_JOB,
    dueAt: new Date(now.getTime() + ROUTE_AGAIN_AFTER_MS),
    payload,
  });
}
