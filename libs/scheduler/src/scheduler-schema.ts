import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable timers: a row per pending job, deleted in the same transaction as the job's effects. */
export class SchedulerSchema1732400000002 implements MigrationInterface {
  name = 'SchedulerSchema1732400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduled_jobs (
        job_id text PRIMARY KEY,
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX scheduled_jobs_due ON scheduled_jobs (due_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE scheduled_jobs');
  }
}
