import { Logger } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { ConcurrencyError, isTransient } from '@softphone/errors';
import type { PostgresEventStore, UnitOfWork } from '@softphone/event-store';
import type { JobTrace } from './job-trace.js';

export interface Job<Payload = unknown> {
  /** Chosen by the caller and unique: scheduling the same id twice keeps the first. */
  id: string;
  kind: string;
  dueAt: Date;
  payload: Payload;
}

export type JobHandler = (job: Job, uow: UnitOfWork) => Promise<void>;

/**
 * Runs due jobs of one kind together, in the transaction that deletes them;
 * returns those it left undone (e.g. their subject changed since the
 * transaction's snapshot): they are kept and each runs again alone.
 */
export type BatchJobHandler = (jobs: Job[], uow: UnitOfWork) => Promise<readonly Job[]>;

/**
 * Given a kind's jobs as this instance first sights them (up to the lookahead before they are due), reads what their
 * handler will need, so that the transaction at the due time has less to do; it decides nothing (the handler still
 * checks what it was given at the due time). A failure only costs the handler its own reads.
 */
export type JobPreparer = (jobs: Job[]) => Promise<void>;

export interface SchedulerOptions {
  /** Jobs due within this window are armed with an in-memory timer. */
  lookaheadMs?: number;
  /** How often the table is read for jobs armed by nobody here (other instances, restarts). */
  pollIntervalMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Each job's timeline, dumped for a bench (SCHEDULER_TRACE_FILE); none in production. */
  trace?: JobTrace;
}

/**
 * Jobs due claimed together, decided together by their kind's batch handler in one transaction: what is due when a
 * worker looks, up to this many (one job for a trickle, a dispatch pass's 50 auto-answers due at one instant at once).
 */
const BATCH = 50;
/**
 * A timer goes off this long before its job is due, and the batch claims the jobs due within it, then waits for
 * their due time: the claim's round trips are done by then, and the handler still runs at or after the due time.
 */
const CLAIM_AHEAD_MS = 10;
/** Batches of one instance running at the same time. */
const WORKERS = 2;

/** Resolves once every job is due (by this process's clock, which the handlers read too). */
async function untilDue(jobs: readonly Job[]): Promise<void> {
  const dueAt = Math.max(...jobs.map((job) => job.dueAt.getTime()));
  while (Date.now() < dueAt) await new Promise((resolve) => setTimeout(resolve, dueAt - Date.now()));
}

const toJob = (row: JobRow): Job => ({ id: row.job_id, kind: row.kind, dueAt: row.due_at, payload: row.payload });

interface JobRow {
  job_id: string;
  kind: string;
  due_at: Date;
  payload: unknown;
  attempts: number;
}

const lateness = new Histogram({
  name: 'scheduler_job_lateness_seconds',
  help: 'Time between a job due time and the commit of its effects',
  labelNames: ['kind'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
});
const outcomes = new Counter({ name: 'scheduler_jobs_total', help: 'Jobs run by outcome', labelNames: ['kind', 'outcome'] });

/**
 * Durable timers in PostgreSQL. A job is written in the transaction that
 * decides it, so it exists exactly when that decision does. Every instance
 * reads the jobs due soon and arms an in-memory timer for each; at the due time
 * the instances race for the row (FOR UPDATE SKIP LOCKED) and the winner runs
 * the handler and deletes the row in one transaction: each job's effects
 * happen once, on time, whatever restarts or instances come and go.
 */
export class DurableScheduler {
  private readonly logger = new Logger('DurableScheduler');
  private readonly handlers = new Map<string, BatchJobHandler>();
  private readonly preparers = new Map<string, JobPreparer>();
  private readonly armed = new Map<string, NodeJS.Timeout>();
  /** Jobs a batch here claimed and has not finished with: the poll, which still sees their rows, does not arm them again. */
  private readonly claimedHere = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lookaheadMs: number;
  private readonly pollIntervalMs: number;
  private poller?: NodeJS.Timeout;
  private running = false;
  private workers = 0;
  private dueAgain = false;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly options: SchedulerOptions = {},
  ) {
    this.lookaheadMs = options.lookaheadMs ?? 1_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  /** The handler of a kind's jobs, one job at a time (the jobs due together still share one transaction). */
  register(kind: string, handler: JobHandler): void {
    this.registerBatch(kind, async (jobs, uow) => {
      for (const job of jobs) await handler(job, uow);
      return [];
    });
  }

  /** The handler of a kind's jobs, given all the jobs of that kind a batch claimed at once (and what prepares them). */
  registerBatch(kind: string, handler: BatchJobHandler, prepare?: JobPreparer): void {
    this.handlers.set(kind, handler);
    if (prepare) this.preparers.set(kind, prepare);
  }

  /** Records the job in the caller's transaction; it is armed here as soon as that commits. */
  async schedule(uow: UnitOfWork, job: Job): Promise<void> {
    await this.scheduleAll(uow, [job]);
  }

  /** schedule, for several jobs in one statement. */
  async scheduleAll(uow: UnitOfWork, jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    await uow.sql.prepared(
      'scheduler_schedule',
      `INSERT INTO scheduled_jobs (job_id, kind, due_at, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[]) ON CONFLICT (job_id) DO NOTHING`,
      [jobs.map((j) => j.id), jobs.map((j) => j.kind), jobs.map((j) => j.dueAt.toISOString()), jobs.map((j) => JSON.stringify(j.payload))],
    );
    uow.afterCommit(() => void this.prepare(jobs.filter((job) => this.arm(job))));
  }

  /** Removes a pending job in the caller's transaction (a fired job is already gone), and its timer here once that commits. */
  async cancel(uow: UnitOfWork, jobId: string): Promise<void> {
    await this.cancelAll(uow, [jobId]);
  }

  /** cancel, for several jobs in one statement. */
  async cancelAll(uow: UnitOfWork, jobIds: string[]): Promise<void> {
    const gone = await uow.sql.prepared<{ job_id: string }>(
      'scheduler_cancel',
      'DELETE FROM scheduled_jobs WHERE job_id = ANY($1) RETURNING job_id',
      [jobIds],
    );
    if (gone.length > 0) uow.afterCommit(() => gone.forEach(({ job_id }) => this.disarm(job_id)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.poller);
    for (const timer of this.armed.values()) clearTimeout(timer);
    this.armed.clear();
    await Promise.allSettled([...this.inFlight]);
    await this.options.trace?.close();
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    try {
      const rows = await this.store.sql.rows<JobRow & { created_at: Date }>(
        `SELECT job_id, kind, due_at, payload, attempts, created_at FROM scheduled_jobs
         WHERE due_at <= $1 ORDER BY due_at LIMIT 1000`,
        [new Date(Date.now() + this.lookaheadMs).toISOString()],
      );
      const sighted = rows.filter((row) => this.arm(toJob(row)));
      for (const row of sighted) this.options.trace?.written(row.job_id, row.created_at);
      await this.prepare(sighted.map(toJob));
    } catch (error) {
      this.logger.warn(`cannot read due jobs: ${String((error as Error).message ?? error)}`);
    }
    if (this.running) this.poller = setTimeout(() => void this.poll(), this.pollIntervalMs);
  }

  /** Arms the job's timer if it is due within the lookahead; whether it was not armed before. */
  private arm(job: Job): boolean {
    if (!this.running || this.armed.has(job.id) || this.claimedHere.has(job.id)) return false;
    const delay = job.dueAt.getTime() - Date.now();
    if (delay > this.lookaheadMs) return false;
    this.options.trace?.sighted(job.id);
    this.armed.set(
      job.id,
      setTimeout(
        () => {
          this.armed.delete(job.id);
          this.options.trace?.fired(job.id);
          this.runDue();
        },
        Math.max(0, delay - CLAIM_AHEAD_MS),
      ),
    );
    return true;
  }

  /**
   * The preparers of the jobs just armed, a kind at a time; not of those due within the claim's lead: their timer may
   * have gone off already (a poll that read their row before a batch here claimed it arms them again), and their
   * handler is about to read.
   */
  private async prepare(jobs: Job[]): Promise<void> {
    const claimable = Date.now() + CLAIM_AHEAD_MS;
    for (const [kind, prepare] of this.preparers) {
      const ofKind = jobs.filter((job) => job.kind === kind && job.dueAt.getTime() > claimable);
      if (ofKind.length === 0) continue;
      await prepare(ofKind).catch((error: Error) => this.logger.warn(`cannot prepare ${kind} jobs: ${String(error.message ?? error)}`));
    }
  }

  private disarm(jobId: string): void {
    clearTimeout(this.armed.get(jobId));
    this.armed.delete(jobId);
  }

  /**
   * A timer went off: whatever is due runs, in batches of up to BATCH jobs per
   * transaction, by at most WORKERS batches at a time. Timers going off while
   * the workers are busy only ask them for one more look: a burst of thousands
   * of timers costs a few dozen transactions, not one (or one empty race) each.
   */
  private runDue(): void {
    this.dueAgain = true;
    if (this.workers >= WORKERS) return;
    this.workers++;
    const run = this.work().finally(() => {
      this.workers--;
      this.inFlight.delete(run);
    });
    this.inFlight.add(run);
  }

  private async work(): Promise<void> {
    while (this.running && this.dueAgain) {
      this.dueAgain = false;
      while (this.running && (await this.runBatch()) === BATCH) this.dueAgain = false;
    }
  }

  /**
   * Runs one batch of due jobs in one transaction (each kind's jobs given to its handler together); how many it
   * claimed. Jobs a handler left undone run again alone after the commit; if the batch fails, its jobs run one by one.
   */
  private async runBatch(): Promise<number> {
    let claimed: Job[] = [];
    const claimedIds: string[] = [];
    const timeline = this.options.trace?.batch();
    try {
      const { done, undone } = await this.store.transaction(async (uow) => {
        const rows = await uow.sql.rows<JobRow>(
          `SELECT job_id, kind, due_at, payload, attempts FROM scheduled_jobs
           WHERE due_at <= $1 ORDER BY due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [new Date(Date.now() + CLAIM_AHEAD_MS).toISOString()],
        );
        timeline?.claimed();
        claimed = rows.map(toJob);
        for (const job of claimed) {
          this.disarm(job.id);
          this.claimedHere.add(job.id);
          claimedIds.push(job.id);
        }
        await untilDue(claimed);
        const left = new Set<Job>();
        for (const kind of new Set(claimed.map((job) => job.kind))) {
          const jobs = claimed.filter((job) => job.kind === kind);
          const handler = this.handlers.get(kind);
          for (const job of handler ? await handler(jobs, uow) : jobs) left.add(job);
        }
        const ran = claimed.filter((job) => !left.has(job));
        timeline?.decided();
        if (ran.length > 0) await uow.sql.execute('DELETE FROM scheduled_jobs WHERE job_id = ANY($1)', [ran.map((j) => j.id)]);
        return { done: ran, undone: [...left].filter((job) => this.handlers.has(job.kind)) };
      });
      for (const job of done) this.record(job);
      timeline?.committed(done, claimed.length);
      for (const job of undone) await this.fireAlone(job);
    } catch {
      for (const job of claimed) await this.fireAlone(job);
    } finally {
      for (const id of claimedIds) this.claimedHere.delete(id);
    }
    return claimed.length;
  }

  private async fireAlone(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return this.logger.error(`no handler for job kind ${job.kind}`);
    try {
      const ran = await this.store.transaction(async (uow) => {
        const [row] = await uow.sql.rows<JobRow>(
          `SELECT job_id, kind, due_at, payload, attempts FROM scheduled_jobs WHERE job_id = $1 FOR UPDATE SKIP LOCKED`,
          [job.id],
        );
        if (!row) return false;
        // Moved to later (a retry) since this timer was armed: the poll arms it again for its new time.
        if (row.due_at.getTime() > Date.now()) return false;
        // Left undone alone too: a lost race, run again on a fresh snapshot (the store's retries).
        if ((await handler([toJob(row)], uow)).length > 0) throw new ConcurrencyError(`job ${job.id} left undone by its handler`);
        await uow.sql.execute('DELETE FROM scheduled_jobs WHERE job_id = $1', [job.id]);
        return true;
      });
      if (ran) this.record(job);
    } catch (error) {
      await this.failed(job, error);
    }
  }

  private record(job: Job): void {
    lateness.observe({ kind: job.kind }, Math.max(0, Date.now() - job.dueAt.getTime()) / 1000);
    outcomes.inc({ kind: job.kind, outcome: 'done' });
  }

  private async failed(job: Job, error: unknown): Promise<void> {
    const message = String((error as Error).message ?? error);
    const transient = isTransient(error);
    outcomes.inc({ kind: job.kind, outcome: transient ? 'retry' : 'failed' });
    this.logger.warn(`job ${job.id} failed${transient ? ' (transient)' : ''}: ${message}`);
    const delay = (this.options.retryDelayMs ?? 500) * (transient ? 1 : 4);
    await this.store.sql
      .execute(
        `UPDATE scheduled_jobs SET attempts = attempts + 1, last_error = $2,
           due_at = CASE WHEN attempts + 1 >= $3 AND NOT $4 THEN 'infinity' ELSE now() + $5 * interval '1 millisecond' END
         WHERE job_id = $1`,
        [job.id, message.slice(0, 1000), this.options.maxAttempts ?? 5, transient, delay],
      )
      .catch((e) => this.logger.warn(`cannot record the failure of ${job.id}: ${String(e)}`));
  }
}
