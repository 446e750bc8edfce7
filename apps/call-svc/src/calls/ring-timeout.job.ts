import { jobType } from '@softphone/scheduler';
import type { CallJob } from '../auto-answer/auto-answer.job.js';

/** An outbound call whose agent never answers its own ringing phone: written with the placement, cancelled by the answer or the hang-up. */
export const ringTimeoutJob = jobType<CallJob>('call.ring-timeout', (p) => p.callId);
