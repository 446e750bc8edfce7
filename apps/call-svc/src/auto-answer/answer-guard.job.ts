import { jobType } from '@softphone/scheduler';
import type { CallJob } from './auto-answer.job.js';

/**
 * The auto-answer guard, written with the auto-answer: if the agent's softphone
 * has not confirmed media by then, the call goes back to its queue and the agent
 * is not responding. Cancelled by the confirmation or the hang-up.
 */
export const answerGuardJob = jobType<CallJob>('call.answer-guard', (p) => p.callId);
