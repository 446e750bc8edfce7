import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The OU managers' inboxes of internal messages (inline projection of the manager inbox streams). */
export class ManagerMessages1732400040002 implements MigrationInterface {
  name = 'ManagerMessages1732400040002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE manager_messages (
        tenant_id text NOT NULL,
        message_id text NOT NULL,
        manager_id text NOT NULL,
        org_unit_id text NOT NULL,
        call_id text NOT NULL,
        agent_id text NOT NULL,
        level text NOT NULL,
        second timestamptz NOT NULL,
        metrics jsonb NOT NULL,
        notified_at timestamptz NOT NULL,
        read_at timestamptz,
        mailed_at timestamptz,
        mailed_to text,
        PRIMARY KEY (tenant_id, message_id)
      )`);
    await q.query('CREATE INDEX manager_messages_inbox ON manager_messages (tenant_id, manager_id, notified_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE manager_messages');
  }
}
