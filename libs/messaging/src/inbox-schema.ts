import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ids of the messages each consumer has applied, written in the same transaction as their effects. */
export class InboxSchema1732400000001 implements MigrationInterface {
  name = 'InboxSchema1732400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        message_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inbox');
  }
}
