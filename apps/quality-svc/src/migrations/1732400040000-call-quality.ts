import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Telemetry of calls (not events): the meter state of each call (the last
 * usable reading, the hysteresis, a pending notice) and one row per measured
 * second.
 */
export class CallQuality1732400040000 implements MigrationInterface {
  name = 'CallQuality1732400040000';

  async up(q: QueryRunner): Promise<void> {
    // Rewritten only when more than the baseline changes (the last measured second is the usual baseline); room on each page for HOT updates.
    await q.query(`
      CREATE TABLE call_meters (
        meter_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id text NOT NULL,
        call_id text NOT NULL,
        baseline_at bigint,
        baseline_received bigint,
        baseline_sent bigint,
        level smallint,
        streak smallint,
        streak_seconds smallint,
        streak_level smallint,
        pending_notice jsonb,
        closed boolean NOT NULL DEFAULT false,
        stream_version integer NOT NULL DEFAULT 0,
        CONSTRAINT call_meters_call UNIQUE (tenant_id, call_id)
      ) WITH (fillfactor = 70)`);
    await q.query(
      `COMMENT ON TABLE call_meters IS 'Meter state of each call: a baseline (epoch ms, counters) newer than its last measured second if any, published level and hysteresis streak (levels by severity, streak +1 worse / -1 better), a notice waiting for the call''s agent, and the version of the call quality stream'`,
    );
    // 20,000 rows a second: keyed by the meter's number rather than tenant and call ids, which halves the row, the index and the insert.
    await q.query(`
      CREATE TABLE quality_seconds (
        meter_id bigint NOT NULL,
        at timestamptz NOT NULL,
        packets_received_total bigint NOT NULL,
        packets_sent_total bigint NOT NULL,
        packets_received integer NOT NULL,
        packets_sent integer NOT NULL,
        loss_rate double precision,
        jitter_ms double precision NOT NULL,
        one_way_delay_ms double precision NOT NULL,
        mos double precision,
        level smallint,
        PRIMARY KEY (meter_id, at)
      )`);
    await q.query(
      `COMMENT ON COLUMN quality_seconds.level IS 'Table 1 level by severity: 0 good, 1 medium, 2 poor, 3 bad; null: no traffic'`,
    );
    await q.query(
      `COMMENT ON COLUMN quality_seconds.packets_received_total IS 'The cumulative counters the second ended at: the baseline of the call''s next second'`,
    );
    // Rows arrive roughly in time order: a BRIN index serves time windows at almost no cost per insert.
    await q.query('CREATE INDEX quality_seconds_at ON quality_seconds USING brin (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_seconds, call_meters');
  }
}
