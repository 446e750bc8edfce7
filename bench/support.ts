import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
import { testEnv } from '@softphone/testing';

export const KAFKA_BROKERS = testEnv.kafkaBrokers;

/** A throwaway database for one benchmark; drop() removes it. */
export async function benchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Runs `writers` loops of `step` for `ms` after a warm-up; returns operations per second. */
export async function throughput(writers: number, ms: number, step: (writer: number) => Promise<void>): Promise<number> {
  const run = async (duration: number) => {
    const end = Date.now() + duration;
    let done = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        while (Date.now() < end) {
          await step(w);
          done++;
        }
      }),
    );
    return done;
  };
  await run(Math.min(1_000, ms / 4));
  const started = process.hrtime.bigint();
  const done = await run(ms);
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Rows as a text table; the columns are every row's keys, a cell a row lacks is "-". */
export function table(rows: Array<Record<string, string | number>>): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (r: Record<string, string | number>, c: string) => String(r[c] ?? '-');
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => cell(r, c).length));
  const line = (cells: string[]) => cells.map((text, i) => text.padStart(width(columns[i]))).join('  ');
  process.stdout.write(`${line(columns)}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => cell(row, c)))}\n`);
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs tasks with at most `limit` at a time. */
export async function pooled<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}
