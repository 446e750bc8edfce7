import { Injectable } from '@nestjs/common';
import type { CallHandlingParameters } from '@softphone/contracts';
import { loadStreams, PostgresEventStore, type Loaded } from '@softphone/event-store';
import { callDecider, callStream, type CallState } from '../calls/call.decider.js';
import { callHandlingOf } from '../directory/destinations.query.js';
import type { CallJob } from './auto-answer.job.js';

/** What the auto-answers of a batch were prepared with: their calls as read when sighted, their tenants' parameters. */
export interface PreparedAutoAnswers {
  calls: ReadonlyMap<string, Loaded<CallState>>;
  handling: ReadonlyMap<string, CallHandlingParameters>;
}

/** A call read for an auto-answer that never came (cancelled by a hang-up) is forgotten this long after it was read. */
const FORGET_AFTER_MS = 30_000;

/**
 * The timers process reads each auto-answer's call (its stream's state and version) and its tenant's call handling
 * when the scheduler first sights the job, about a second before it is due, so that the transaction at the due time
 * claims, decides and appends without reading them. The decision is still the decider's on that state at the due time,
 * and the append expects the version read: a call changed since (a hang-up) is a lost race, answered alone on a fresh
 * read. The guard's length is the tenant's as read at the sighting (≤ the lookahead before the due time).
 */
@Injectable()
export class AutoAnswerPreparation {
  private readonly calls = new Map<string, { loaded: Loaded<CallState>; readAt: number }>();
  private readonly handling = new Map<string, CallHandlingParameters>();

  constructor(private readonly store: PostgresEventStore) {}

  async prepare(jobs: readonly CallJob[]): Promise<void> {
    const readAt = Date.now();
    for (const [callId, read] of this.calls) if (read.readAt < readAt - FORGET_AFTER_MS) this.calls.delete(callId);
    const loaded = await loadStreams(
      this.store.sql,
      jobs.map((job) => callStream(job.callId)),
      callDecider,
    );
    jobs.forEach((job, i) => this.calls.set(job.callId, { loaded: loaded[i], readAt }));
    for (const tenantId of new Set(jobs.map((job) => job.tenantId)))
      this.handling.set(tenantId, await callHandlingOf(this.store.sql, tenantId));
  }

  /** What was prepared for these jobs (each call once: a job run again gets a fresh read). */
  take(jobs: readonly CallJob[]): PreparedAutoAnswers {
    const calls = new Map<string, Loaded<CallState>>();
    const handling = new Map<string, CallHandlingParameters>();
    for (const { callId, tenantId } of jobs) {
      const read = this.calls.get(callId);
      this.calls.delete(callId);
      if (read) calls.set(callId, read.loaded);
      const parameters = this.handling.get(tenantId);
      if (parameters) handling.set(tenantId, parameters);
    }
    return { calls, handling };
  }
}
