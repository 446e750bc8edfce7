/**
 * BENCH_SCHEDULER_TRACE=1: the timers process dumps each job's timeline (libs/scheduler JobTrace, SCHEDULER_TRACE_FILE)
 * and the bench prints where the auto-answers' time went between their due time and their commit, for all of them and
 * for the latest 1 %, with the process's GC pauses and event-loop delay over the same span.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobTraceRecord, ProcessTraceRecord } from '@softphone/scheduler';
import { fmt, percentile, table } from './support.js';

/** The env that turns the dump on for a timers process (empty when BENCH_SCHEDULER_TRACE is not set), and its file. */
export function schedulerTrace(): { env: Record<string, string>; file?: string } {
  if (!process.env.BENCH_SCHEDULER_TRACE) return { env: {} };
  const file = join(tmpdir(), `scheduler-trace-${randomUUID().slice(0, 8)}.jsonl`);
  return { env: { SCHEDULER_TRACE_FILE: file }, file };
}

const STAGES: Array<[string, (j: JobTraceRecord) => number | undefined]> = [
  ['written (its transaction began) before due', (j) => (j.written === undefined ? undefined : j.due - j.written)],
  [
    'written → sighted (committed, then polled)',
    (j) => (j.written === undefined || j.sighted === undefined ? undefined : j.sighted - j.written),
  ],
  ['sighted before due (lead)', (j) => (j.sighted === undefined ? undefined : j.due - j.sighted)],
  ['due → its timer fired (10 ms ahead since the seventh pass)', (j) => (j.fired === undefined ? undefined : j.fired - j.due)],
  ['fired (or due) → batch begins (worker free)', (j) => j.begun - (j.fired ?? j.due)],
  ['batch begins → claim returned', (j) => j.claimed - j.begun],
  ['claimed → decided (until due, append, project, guards)', (j) => j.decided - j.claimed],
  ['decided → committed (delete, commit)', (j) => j.committed - j.decided],
  ['due → committed', (j) => j.committed - j.due],
  ['jobs in its batch', (j) => j.batch],
];

/** Prints the breakdown of `kind`'s jobs committed since `since` (epoch ms), then removes the file. */
export async function printSchedulerTrace(file: string | undefined, kind: string, since = 0): Promise<void> {
  if (!file) return;
  const records = (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JobTraceRecord | ProcessTraceRecord);
  await rm(file, { force: true });
  const jobs = records.filter((r): r is JobTraceRecord => r.type === 'job' && r.kind === kind && r.due >= since);
  if (jobs.length === 0) return void process.stdout.write(`scheduler trace: no ${kind} job\n`);
  const from = Math.min(...jobs.map((j) => j.due));
  const to = Math.max(...jobs.map((j) => j.committed));
  const late = [...jobs].sort((a, b) => b.committed - b.due - (a.committed - a.due)).slice(0, Math.max(1, Math.ceil(jobs.length / 100)));
  const figures = (of: JobTraceRecord[], measure: (j: JobTraceRecord) => number | undefined) =>
    of
      .map(measure)
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
  process.stdout.write(`\nscheduler trace of ${jobs.length} ${kind} jobs (ms; "latest 1 %": the ${late.length} latest at their commit):\n`);
  table(
    STAGES.map(([stage, measure]) => {
      const all = figures(jobs, measure);
      const worst = figures(late, measure);
      return {
        stage,
        n: all.length,
        p50: fmt(percentile(all, 50), 1),
        p99: fmt(percentile(all, 99), 1),
        max: fmt(all.at(-1) ?? NaN, 1),
        'latest 1 %: p50': fmt(percentile(worst, 50), 1),
        'latest 1 %: max': fmt(worst.at(-1) ?? NaN, 1),
      };
    }),
  );
  const within = (r: ProcessTraceRecord) => r.at >= from && r.at <= to;
  const gcs = records.filter((r): r is Extract<ProcessTraceRecord, { type: 'gc' }> => r.type === 'gc' && within(r));
  const loops = records.filter((r): r is Extract<ProcessTraceRecord, { type: 'loop' }> => r.type === 'loop' && within(r));
  const gcMs = gcs.map((g) => g.ms).sort((a, b) => a - b);
  process.stdout.write(
    `timers process over those ${fmt((to - from) / 1000, 1)} s: ${gcs.length} GCs, ${fmt(
      gcMs.reduce((a, b) => a + b, 0),
      0,
    )} ms in all, ` +
      `longest ${fmt(gcMs.at(-1) ?? 0, 1)} ms; event-loop delay per second p99 max ${fmt(Math.max(0, ...loops.map((l) => l.p99)), 1)} ms, ` +
      `max ${fmt(Math.max(0, ...loops.map((l) => l.max)), 1)} ms\n`,
  );
  const lateGc = late.filter((j) => gcs.some((g) => g.at + g.ms >= j.due && g.at <= j.committed)).length;
  process.stdout.write(`latest 1 %: ${lateGc} of ${late.length} had a GC of the process between their due time and their commit\n`);
}
