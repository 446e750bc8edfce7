import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 10: the tenant's call-handling parameters (auto-answer guard, ring timeout, wrap-up), with their defaults. */
export class TenantCallHandling1732400010005 implements MigrationInterface {
  name = 'TenantCallHandling1732400010005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants_view
        ADD COLUMN auto_answer_guard_seconds integer NOT NULL DEFAULT 5,
        ADD COLUMN ring_timeout_seconds integer NOT NULL DEFAULT 30,
        ADD COLUMN wrap_up_seconds integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE tenants_view DROP COLUMN auto_answer_guard_seconds, DROP COLUMN ring_timeout_seconds, DROP COLUMN wrap_up_seconds',
    );
  }
}
