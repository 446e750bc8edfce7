/**
 * What a consumer does after a message (or a chunk of messages) failed to apply:
 *
 * - a failure that is not transient (a bug, a rule the message breaks) is tried
 *   `maxAttempts` times, then the message is dead-lettered with the cause;
 * - a transient one (database, broker, a lost race) is retried with capped
 *   backoff up to `maxTransientAttempts` times; if it keeps failing while the
 *   database answers, it is this message's problem: dead-lettered with the
 *   cause. While the database does not answer (an outage) the consumer waits
 *   instead: dead-lettering every message of an outage would lose the order of
 *   everything;
 * - a chunk of several messages that would be dead-lettered is split, so only
 *   the culprit goes.
 */
export interface RetryLimits {
  maxAttempts: number;
  maxTransientAttempts: number;
}

export interface FailureSoFar {
  transient: boolean;
  /** Failures that were not transient, this one included. */
  attempts: number;
  /** Transient failures, this one included. */
  transientAttempts: number;
  /** Messages applied together. */
  chunkSize: number;
}

/** `dead-letter-unless-outage`: dead-letter if the database answers, otherwise wait and retry. */
export type Verdict = 'retry' | 'split' | 'dead-letter' | 'dead-letter-unless-outage';

export const DEFAULT_RETRY_LIMITS: RetryLimits = { maxAttempts: 3, maxTransientAttempts: 20 };

export function afterFailure(failure: FailureSoFar, limits: RetryLimits = DEFAULT_RETRY_LIMITS): Verdict {
  if (!failure.transient && failure.chunkSize > 1) return 'split';
  const exhausted = failure.transient ? failure.transientAttempts >= limits.maxTransientAttempts : failure.attempts >= limits.maxAttempts;
  if (!exhausted) return 'retry';
  if (failure.chunkSize > 1) return 'split';
  return failure.transient ? 'dead-letter-unless-outage' : 'dead-letter';
}
