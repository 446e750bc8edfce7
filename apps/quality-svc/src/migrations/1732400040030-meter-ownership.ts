import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Third generation of the meters: each quality-svc instance keeps the meters of
 * the samples-topic partitions it consumes in memory and checkpoints them. A
 * partition's row fences its owner (epoch bumped by each new owner; a
 * checkpoint must find its own epoch) and holds the offsets: where the
 * snapshotted meters resume, and up to where seconds and events are written.
 */
export class MeterOwnership1732400040030 implements MigrationInterface {
  name = 'MeterOwnership1732400040030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_partitions (
        topic text NOT NULL,
        partition integer NOT NULL,
        epoch bigint NOT NULL,
        resume_offset bigint,
        written_offset bigint,
        PRIMARY KEY (topic, partition)
      )`);
    await q.query(
      `COMMENT ON TABLE quality_partitions IS 'Owner epoch of each samples-topic partition (fencing); resume_offset: where its meters as last snapshotted in call_meters resume (null: from the beginning); written_offset: messages before it have their seconds and events written (replayed, they only rebuild the meters)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_partitions');
  }
}
