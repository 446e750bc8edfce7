import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SkillQueuesView1732400010002 implements MigrationInterface {
  name = 'SkillQueuesView1732400010002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE skill_queues_view (
        tenant_id text NOT NULL,
        skill_queue_id text NOT NULL,
        name text NOT NULL,
        media_type text NOT NULL,
        access_code text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, skill_queue_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE skill_queues_view');
  }
}
