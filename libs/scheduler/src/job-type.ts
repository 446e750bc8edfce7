import type { UnitOfWork } from '@softphone/event-store';
import type { DurableScheduler, Job, JobPreparer } from './durable-scheduler.js';

/**
 * One kind of durable job under one name: its kind, the id of each job (one per
 * subject, so scheduling twice keeps the first), how to schedule and cancel it,
 * and how a handler is registered for it.
 */
export interface JobType<Payload> {
  readonly kind: string;
  /** The id of the job about one subject (e.g. a call id). */
  id(subject: string): string;
  schedule(scheduler: DurableScheduler, uow: UnitOfWork, payload: Payload, dueAt: string | Date): Promise<void>;
  /** The job about `payload`'s subject, due at `dueAt` (to schedule several at once: DurableScheduler.scheduleAll). */
  job(payload: Payload, dueAt: string | Date): Job;
  /** Removes the pending job about `subject` in the caller's transaction. */
  cancel(scheduler: DurableScheduler, uow: UnitOfWork, subject: string): Promise<void>;
  handle(scheduler: DurableScheduler, handler: (payload: Payload, uow: UnitOfWork) => Promise<unknown>): void;
  /**
   * Registers a handler given the payloads of all the jobs of this type claimed together (one transaction); it returns
   * the payloads it left undone (their subject changed since the transaction's snapshot): each runs again alone.
   * `prepare` is given the payloads of the jobs as they are first sighted, before they are due (JobPreparer).
   */
  handleAll(
    scheduler: DurableScheduler,
    handler: (payloads: Payload[], uow: UnitOfWork) => Promise<readonly Payload[]>,
    prepare?: (payloads: Payload[]) => Promise<void>,
  ): void;
}

export function jobType<Payload>(kind: string, subjectOf: (payload: Payload) => string): JobType<Payload> {
  const id = (subject: string) => `${kind}:${subject}`;
  const payloads = (jobs: Job[]) => jobs.map((job) => (job as Job<Payload>).payload);
  const job = (payload: Payload, dueAt: string | Date): Job => ({ id: id(subjectOf(payload)), kind, dueAt: new Date(dueAt), payload });
  return {
    kind,
    id,
    schedule: (scheduler, uow, payload, dueAt) => scheduler.schedule(uow, job(payload, dueAt)),
    job,
    cancel: (scheduler, uow, subject) => scheduler.cancel(uow, id(subject)),
    handle: (scheduler, handler) =>
      scheduler.register(kind, async (job, uow) => {
        await handler((job as Job<Payload>).payload, uow);
      }),
    handleAll: (scheduler, handler, prepare) =>
      scheduler.registerBatch(
        kind,
        async (jobs, uow) => {
          const undone = new Set(await handler(payloads(jobs), uow));
          return jobs.filter((job) => undone.has((job as Job<Payload>).payload));
        },
        prepare && (((jobs) => prepare(payloads(jobs))) satisfies JobPreparer),
      ),
  };
}
