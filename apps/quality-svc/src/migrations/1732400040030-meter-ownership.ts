import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Third generation of the meters: each quality-svc instance keeps the meters of
 * the samples-topic partitions it consumes in memory and checkpoints them. A
 * partition's row fences its owner (epoch bumped by each new owner; a
 * checkpoint must find its own epoch) and holds the offset the checkpointed
 * meters are at.
 */
export class MeterOwnership1732400040030 implements MigrationInterface {
  name = 'MeterOwnership1732400040030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_partitions (
        topic text NOT NULL,
        partition integer NOT NULL,
        epoch bigint NOT NULL,
        next_offset bigint,
        PRIMARY KEY (topic, partition)
      )`);
    await q.query(
      `COMMENT ON TABLE quality_partitions IS 'Owner epoch of each samples-topic partition and the offset of its next message not yet in the checkpointed meters (null: from the beginning)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_partitions');
  }
}
