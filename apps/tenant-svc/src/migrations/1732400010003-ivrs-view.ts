import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IvrsView1732400010003 implements MigrationInterface {
  name = 'IvrsView1732400010003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ivrs_view (
        tenant_id text NOT NULL,
        ivr_id text NOT NULL,
        name text NOT NULL,
        access_code text NOT NULL,
        announcement_seconds double precision NOT NULL,
        skill_queue_id text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, ivr_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ivrs_view');
  }
}
