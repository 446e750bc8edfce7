import { jobType } from '@softphone/scheduler';
import type { CallJob } from '../auto-answer/auto-answer.job.js';

/** An inbound call to a number call-svc does not know yet: disconnected when the hold is over, unless resolved before. */
export const heldCallJob = jobType<CallJob>('call.held-destination', (p) => p.callId);
