import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: agents_view.version, the agent stream's version the row shows (written
 * by the projection with each event), so a reader can wait for a newer row
 * (GET /agents/:id?afterVersion=&waitMs=). Existing rows take it from the event
 * store; a database whose es_events does not exist yet has no agents to backfill.
 */
export class AgentSvcViewVersion1732400020002 implements MigrationInterface {
  name = 'AgentSvcViewVersion1732400020002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agents_view ADD COLUMN version integer NOT NULL DEFAULT 0');
    await q.query(`
      DO $$
      BEGIN
        IF to_regclass('es_events') IS NOT NULL THEN
          UPDATE agents_view a SET version = e.version
          FROM (SELECT stream_id, max(stream_version) AS version FROM es_events WHERE stream_id LIKE 'agent-%' GROUP BY stream_id) e
          WHERE e.stream_id = 'agent-' || a.agent_id;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agents_view DROP COLUMN version');
  }
}
