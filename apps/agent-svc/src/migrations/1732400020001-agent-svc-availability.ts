import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: org units known from tenant-svc (an agent's org unit must exist),
 * why a phone is down, and the agent's availability facts: the call it is on,
 * wrap-up, not-responding and its softphone's liveness.
 */
export class AgentSvcAvailability1732400020001 implements MigrationInterface {
  name = 'AgentSvcAvailability1732400020001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_units (
        tenant_id text NOT NULL,
        org_unit_id text NOT NULL,
        PRIMARY KEY (tenant_id, org_unit_id)
      )`);
    await q.query(`
      ALTER TABLE agents_view
        ADD COLUMN phone_failures jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN call_phase text,
        ADD COLUMN wrap_up jsonb,
        ADD COLUMN not_responding jsonb,
        ADD COLUMN softphone_reachable boolean NOT NULL DEFAULT true,
        ADD COLUMN last_heartbeat_at timestamptz`);
    await q.query(`UPDATE agents_view SET call_phase = 'talking' WHERE current_call_id IS NOT NULL`);
    await q.query('ALTER TABLE agents_view DROP COLUMN availability');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents_view ADD COLUMN availability text NOT NULL DEFAULT 'idle'`);
    await q.query(`UPDATE agents_view SET availability = 'occupied' WHERE call_phase = 'talking'`);
    await q.query(`
      ALTER TABLE agents_view DROP COLUMN phone_failures, DROP COLUMN call_phase, DROP COLUMN wrap_up, DROP COLUMN not_responding,
        DROP COLUMN softphone_reachable, DROP COLUMN last_heartbeat_at`);
    await q.query('DROP TABLE org_units');
  }
}
