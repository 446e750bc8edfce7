import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessCodes1732400010004 implements MigrationInterface {
  name = 'AccessCodes1732400010004';

  async up(q: QueryRunner): Promise<void> {
    // The primary key is what keeps an access code unique in its tenant, across skill queues and IVRs.
    await q.query(`
      CREATE TABLE access_codes (
        tenant_id text NOT NULL,
        access_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('skill-queue', 'ivr')),
        target_id text NOT NULL,
        CONSTRAINT access_codes_pkey PRIMARY KEY (tenant_id, access_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE access_codes');
  }
}
