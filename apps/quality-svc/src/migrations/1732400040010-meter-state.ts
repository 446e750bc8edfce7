import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second generation of the meters: a call's meter state (cadence window,
 * silence runs, hysteresis, alert rule) is one JSON document; a measured
 * second keeps every stream it rated (audio/video, both directions), its flags,
 * and packet counts as bigint (no int4 overflow).
 */
export class MeterState1732400040010 implements MigrationInterface {
  name = 'MeterState1732400040010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE call_meters
        ADD COLUMN state jsonb,
        DROP COLUMN baseline_at, DROP COLUMN baseline_received, DROP COLUMN baseline_sent,
        DROP COLUMN streak, DROP COLUMN streak_seconds, DROP COLUMN streak_level, DROP COLUMN pending_notice`);
    await q.query(
      `COMMENT ON TABLE call_meters IS 'Meter state of each call (state: metering/call-meter.ts MeterState as JSON), its published level by severity and the version of the call quality stream'`,
    );
    await q.query(`
      ALTER TABLE quality_seconds
        DROP COLUMN packets_received_total, DROP COLUMN packets_sent_total,
        ALTER COLUMN packets_received TYPE bigint, ALTER COLUMN packets_received DROP NOT NULL,
        ALTER COLUMN packets_sent TYPE bigint, ALTER COLUMN packets_sent DROP NOT NULL,
        ALTER COLUMN one_way_delay_ms DROP NOT NULL,
        ADD COLUMN flags smallint NOT NULL DEFAULT 0,
        ADD COLUMN kind text,
        ADD COLUMN side text,
        ADD COLUMN streams jsonb`);
    await q.query(
      `COMMENT ON COLUMN quality_seconds.flags IS 'Bits: 1 interpolated (no reading within 100 ms of the second''s end), 2 no-audio, 4 one-way'`,
    );
    await q.query(
      `COMMENT ON COLUMN quality_seconds.kind IS 'The metrics columns are those of the worst stream of the second (kind audio/video, side agent-receive/remote-receive); streams holds them all'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quality_seconds DROP COLUMN flags, DROP COLUMN kind, DROP COLUMN side, DROP COLUMN streams,
      ADD COLUMN packets_received_total bigint NOT NULL DEFAULT 0, ADD COLUMN packets_sent_total bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE call_meters DROP COLUMN state, ADD COLUMN baseline_at bigint, ADD COLUMN baseline_received bigint,
      ADD COLUMN baseline_sent bigint, ADD COLUMN streak smallint, ADD COLUMN streak_seconds smallint, ADD COLUMN streak_level smallint,
      ADD COLUMN pending_notice jsonb`);
  }
}
