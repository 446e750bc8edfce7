import { jobType } from '@softphone/scheduler';

/** A job about one call of a tenant. */
export interface CallJob {
  tenantId: string;
  callId: string;
}

/**
 * The durable 2-second auto-answer, written with the offer: whichever instance
 * is alive at the due time answers, once (the decider answers only a call still offered).
 */
export const autoAnswerJob = jobType<CallJob>('call.auto-answer', (p) => p.callId);
