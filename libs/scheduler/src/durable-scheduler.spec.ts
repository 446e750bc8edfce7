import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { EVENT_STORE_MIGRATIONS, openDatabase, PostgresEventStore } from '@softphone/event-store';
import { createTestDatabase, eventually, type TestDatabase } from '@softphone/testing';
import { DurableScheduler, type Job } from './durable-scheduler.js';
import { SchedulerSchema1732400000002 } from './scheduler-schema.js';

describe('DurableScheduler', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const schedulers: DurableScheduler[] = [];

  /** An instance whose handler records each run (with its lateness) in the database. */
  function instance(name: string, options: { failFirst?: number } = {}) {
    const scheduler = new DurableScheduler(store, { pollIntervalMs: 50, retryDelayMs: 20 });
    let failures = options.failFirst ?? 0;
    scheduler.register('ring', async (job: Job, uow) => {
      if (failures-- > 0) throw new TypeError('handler failed');
      await uow.sql.execute('INSERT INTO runs (job_id, instance, late_ms) VALUES ($1, $2, $3)', [
        job.id,
        name,
        Date.now() - job.dueAt.getTime(),
      ]);
    });
    schedulers.push(scheduler);
    return scheduler;
  }
  const schedule = (scheduler: DurableScheduler, id: string, inMs: number) =>
    store.transaction((uow) => scheduler.schedule(uow, { id, kind: 'ring', dueAt: new Date(Date.now() + inMs), payload: { id } }));
  const runs = (id: string) =>
    store.sql.rows<{ instance: string; late_ms: number }>('SELECT instance, late_ms FROM runs WHERE job_id = $1', [id]);

  beforeAll(async () => {
    db = await createTestDatabase('scheduler');
    dataSource = await openDatabase({ url: db.url, migrations: [...EVENT_STORE_MIGRATIONS, SchedulerSchema1732400000002] });
    await dataSource.query('CREATE TABLE runs (job_id text, instance text, late_ms int)');
    store = new PostgresEventStore(dataSource);
  });

  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs a job once, at its due time, not before', async () => {
    const a = instance('a');
    a.start();
    await schedule(a, 'once', 300);
    await eventually(async () => expect(await runs('once')).toHaveLength(1));
    const [run] = await runs('once');
    expect(run.late_ms).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await runs('once')).toHaveLength(1);
    expect(await store.sql.rows('SELECT 1 FROM scheduled_jobs WHERE job_id = $1', ['once'])).toEqual([]);
  });

  it('runs each job once when two instances race for it', async () => {
    const b = instance('b');
    const c = instance('c');
    b.start();
    c.start();
    const ids = Array.from({ length: 30 }, (_, i) => `race-${i}`);
    await Promise.all(ids.map((id, i) => schedule(i % 2 ? b : c, id, 150)));
    await eventually(async () => {
      const [{ n }] = await store.sql.rows<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE job_id LIKE 'race-%'`);
      expect(n).toBe(30);
    });
    // Claimed a little ahead of their due time (CLAIM_AHEAD_MS), none ran before it.
    const [{ earliest }] = await store.sql.rows<{ earliest: number }>(
      `SELECT min(late_ms) AS earliest FROM runs WHERE job_id LIKE 'race-%'`,
    );
    expect(earliest).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, 300));
    const perJob = await store.sql.rows<{ job_id: string; n: number }>(
      `SELECT job_id, count(*)::int AS n FROM runs WHERE job_id LIKE 'race-%' GROUP BY job_id HAVING count(*) > 1`,
    );
    expect(perJob).toEqual([]);
  });

  it('still runs the job of an instance that died before its due time, once', async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    const dying = instance('dying');
    dying.start();
    await schedule(dying, 'orphan', 400);
    await dying.stop();
    const survivor = instance('survivor');
    survivor.start();
    await eventually(async () => expect(await runs('orphan')).toEqual([expect.objectContaining({ instance: 'survivor' })]));
  });

  it('never runs a job cancelled before its due time, nor one whose transaction rolled back', async () => {
    const d = instance('d');
    d.start();
    await schedule(d, 'cancelled', 200);
    await store.transaction((uow) => d.cancel(uow, 'cancelled'));
    await expect(
      store.transaction(async (uow) => {
        await d.schedule(uow, { id: 'rolled-back', kind: 'ring', dueAt: new Date(Date.now() + 50), payload: {} });
        throw new Error('decision abandoned');
      }),
    ).rejects.toThrow('decision abandoned');
    await new Promise((r) => setTimeout(r, 600));
    expect(await runs('cancelled')).toEqual([]);
    expect(await runs('rolled-back')).toEqual([]);
  });

  it('retries a failing handler and runs it once it succeeds', async () => {
    const e = instance('flaky', { failFirst: 2 });
    e.start();
    await schedule(e, 'flaky-job', 0);
    await eventually(async () => expect(await runs('flaky-job')).toHaveLength(1));
  });

  it('gives a batch handler the jobs of its kind due together, and runs a job it left undone again alone, once', async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    const f = new DurableScheduler(store, { pollIntervalMs: 50, retryDelayMs: 20 });
    schedulers.push(f);
    const given: string[][] = [];
    f.registerBatch('many', async (jobs, uow) => {
      given.push(jobs.map((job) => job.id).sort());
      // Left undone while batched with others (its subject changed since the snapshot, say): it must run again alone.
      const undone = jobs.length > 1 ? jobs.filter((job) => job.id === 'many-2') : [];
      for (const job of jobs.filter((j) => !undone.includes(j)))
        await uow.sql.execute('INSERT INTO runs (job_id, instance, late_ms) VALUES ($1, $2, 0)', [job.id, 'f']);
      return undone;
    });
    const ids = ['many-0', 'many-1', 'many-2', 'many-3', 'many-4'];
    const dueAt = new Date(Date.now() - 10);
    await store.transaction((uow) =>
      f.scheduleAll(
        uow,
        ids.map((id) => ({ id, kind: 'many', dueAt, payload: {} })),
      ),
    );
    f.start();
    await eventually(async () => {
      const [{ n }] = await store.sql.rows<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE job_id LIKE 'many-%'`);
      expect(n).toBe(5);
    });
    expect(given).toEqual([ids, ['many-2']]);
    for (const id of ids) expect(await runs(id)).toHaveLength(1);
    expect(await store.sql.rows(`SELECT job_id FROM scheduled_jobs WHERE kind = 'many'`)).toEqual([]);
  });

  it('prepares the jobs another instance scheduled when it first sights them, before they are due, then runs them', async () => {
    const writer = new DurableScheduler(store);
    const g = new DurableScheduler(store, { pollIntervalMs: 50 });
    schedulers.push(g);
    const events: string[] = [];
    g.registerBatch(
      'prepared',
      async (jobs) => {
        events.push(`ran ${jobs.map((job) => job.id).join()}`);
        return [];
      },
      async (jobs) => void events.push(`prepared ${jobs.map((job) => job.id).join()}`),
    );
    g.start();
    await store.transaction((uow) =>
      writer.schedule(uow, { id: 'prep-1', kind: 'prepared', dueAt: new Date(Date.now() + 800), payload: {} }),
    );
    await eventually(() => expect(events).toEqual(['prepared prep-1', 'ran prep-1']));
  });
});
