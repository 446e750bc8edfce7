import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A measured second keeps its streams as JSON only when its own columns cannot
 * hold them: several streams, or a silent one (call-quality/stored-streams.ts).
 * Rows written before keep their JSON; both read the same.
 */
export class SecondsStreams1732400040040 implements MigrationInterface {
  name = 'SecondsStreams1732400040040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `COMMENT ON COLUMN quality_seconds.streams IS 'Every stream of the second, rated (JSON); null when the second has one stream, not silent: the metrics columns are that stream'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('COMMENT ON COLUMN quality_seconds.streams IS NULL');
  }
}
