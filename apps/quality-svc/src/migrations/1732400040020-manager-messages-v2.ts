import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9: a manager's messages are alerts (naming their reasons) or the
 * hour's digest; the digests due, on the service clock (inline projection of
 * the held alerts).
 */
export class ManagerMessagesV21732400040020 implements MigrationInterface {
  name = 'ManagerMessagesV21732400040020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE manager_messages
        ADD COLUMN kind text NOT NULL DEFAULT 'alert',
        ADD COLUMN reasons jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN digest jsonb,
        ALTER COLUMN org_unit_id DROP NOT NULL,
        ALTER COLUMN call_id DROP NOT NULL,
        ALTER COLUMN agent_id DROP NOT NULL,
        ALTER COLUMN second DROP NOT NULL,
        ALTER COLUMN metrics DROP NOT NULL`);
    await q.query(
      `COMMENT ON COLUMN manager_messages.digest IS 'kind digest: hourStart, hourEnd, poorCalls, agents, worstReasons; null for an alert'`,
    );
    await q.query(`
      CREATE TABLE manager_digests_due (
        tenant_id text NOT NULL,
        manager_id text NOT NULL,
        due_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, manager_id)
      )`);
    await q.query('CREATE INDEX manager_digests_due_at ON manager_digests_due (due_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE manager_digests_due');
    await q.query(`DELETE FROM manager_messages WHERE kind = 'digest'`);
    await q.query(`
      ALTER TABLE manager_messages DROP COLUMN kind, DROP COLUMN reasons, DROP COLUMN digest,
        ALTER COLUMN org_unit_id SET NOT NULL, ALTER COLUMN call_id SET NOT NULL, ALTER COLUMN agent_id SET NOT NULL,
        ALTER COLUMN second SET NOT NULL, ALTER COLUMN metrics SET NOT NULL`);
  }
}
