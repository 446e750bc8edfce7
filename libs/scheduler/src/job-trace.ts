import { appendFile } from 'node:fs/promises';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Job } from './durable-scheduler.js';

/** Where one job's time went, epoch milliseconds (sub-millisecond); absent: it did not happen here. */
export interface JobTraceRecord {
  type: 'job';
  kind: string;
  due: number;
  /** Its writing transaction began (scheduled_jobs.created_at), when this instance's poll sighted it. */
  written?: number;
  /** First read here (armed), by this instance's poll or its own commit. */
  sighted?: number;
  /** Its own timer went off. */
  fired?: number;
  /** The batch that claimed it began its transaction (a worker was free). */
  begun: number;
  /** The claim's SELECT … FOR UPDATE SKIP LOCKED returned. */
  claimed: number;
  /** Its handler returned (decided, appended, projected). */
  decided: number;
  committed: number;
  /** Jobs claimed by its batch. */
  batch: number;
}

/** A garbage collection of the process, or the event loop's delay over the last flush interval. */
export type ProcessTraceRecord =
  { type: 'gc'; at: number; ms: number } | { type: 'loop'; at: number; p50: number; p99: number; max: number };

const now = () => performance.timeOrigin + performance.now();

/**
 * A debug dump of the scheduler's per-job timeline (due → sighted → fired →
 * claimed → decided → committed), the process's GC pauses and event-loop delay,
 * as JSON lines appended to a file about once a second. Off unless
 * SCHEDULER_TRACE_FILE names the file (the benches set it): instrumentation for
 * finding where late jobs lose their time, not a production log.
 */
export class JobTrace {
  private readonly sightings = new Map<string, number>();
  private readonly firings = new Map<string, number>();
  private readonly writings = new Map<string, number>();
  private lines: string[] = [];
  private readonly flusher: NodeJS.Timeout;
  private readonly gc: PerformanceObserver;
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });

  private constructor(private readonly file: string) {
    this.gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.push({ type: 'gc', at: performance.timeOrigin + entry.startTime, ms: entry.duration });
    });
    this.gc.observe({ entryTypes: ['gc'] });
    this.loop.enable();
    this.flusher = setInterval(() => void this.flush(), 1_000).unref();
  }

  /** The trace SCHEDULER_TRACE_FILE asks for, if any. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): JobTrace | undefined {
    return env.SCHEDULER_TRACE_FILE ? new JobTrace(env.SCHEDULER_TRACE_FILE) : undefined;
  }

  sighted(jobId: string): void {
    if (!this.sightings.has(jobId)) this.sightings.set(jobId, now());
  }

  written(jobId: string, at: Date): void {
    this.writings.set(jobId, at.getTime());
  }

  fired(jobId: string): void {
    this.firings.set(jobId, now());
  }

  /** A batch's timestamps: `begun` is taken before its transaction, the others as they pass. */
  batch(): { claimed(): void; decided(): void; committed(jobs: readonly Job[], claimed: number): void } {
    const begun = now();
    let claimedAt = begun;
    let decidedAt = begun;
    return {
      claimed: () => void (claimedAt = now()),
      decided: () => void (decidedAt = now()),
      committed: (jobs, claimed) => {
        const committed = now();
        for (const job of jobs) {
          this.push({
            type: 'job',
            kind: job.kind,
            due: job.dueAt.getTime(),
            written: this.writings.get(job.id),
            sighted: this.sightings.get(job.id),
            fired: this.firings.get(job.id),
            begun,
            claimed: claimedAt,
            decided: decidedAt,
            committed,
            batch: claimed,
          });
          this.sightings.delete(job.id);
          this.firings.delete(job.id);
          this.writings.delete(job.id);
        }
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.flusher);
    this.gc.disconnect();
    await this.flush();
    this.loop.disable();
  }

  private push(record: JobTraceRecord | ProcessTraceRecord): void {
    this.lines.push(JSON.stringify(record));
  }

  private async flush(): Promise<void> {
    const ms = (ns: number) => ns / 1e6;
    if (this.loop.count > 0)
      this.push({ type: 'loop', at: now(), p50: ms(this.loop.percentile(50)), p99: ms(this.loop.percentile(99)), max: ms(this.loop.max) });
    this.loop.reset();
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    await appendFile(this.file, text);
  }
}
