import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: held calls, re-queued calls at the head of their queue, media confirmation, the agent line's
 * wrap-up and not-responding, softphone liveness, non-voice queues and the tenant's call-handling parameters.
 */
export class CallSvcAvailability1732400030001 implements MigrationInterface {
  name = 'CallSvcAvailability1732400030001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE calls_view
        ADD COLUMN queue_key text,
        ADD COLUMN requeued_at timestamptz,
        ADD COLUMN requeue_reason text,
        ADD COLUMN media_confirmed_at timestamptz`);
    await q.query('DROP INDEX calls_waiting');
    await q.query(`CREATE INDEX calls_waiting ON calls_view (tenant_id, skill_queue_id, queue_key) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX calls_held ON calls_view (tenant_id, to_number) WHERE status = 'arrived'`);
    // The line's whole state (folded by the agent-line decider), whether it is free, and since when.
    await q.query(`
      ALTER TABLE agent_lines
        ADD COLUMN state jsonb NOT NULL DEFAULT '{"callId": null, "wrapUp": null, "notResponding": null}',
        ADD COLUMN free boolean NOT NULL DEFAULT true`);
    await q.query(
      `UPDATE agent_lines SET free = (call_id IS NULL), state = jsonb_build_object('callId', call_id, 'wrapUp', null, 'notResponding', null)`,
    );
    await q.query('ALTER TABLE agents ADD COLUMN softphone_reachable boolean NOT NULL DEFAULT true');
    await q.query('CREATE INDEX agents_queues ON agents USING gin (skill_queue_ids)');
    await q.query('ALTER TABLE destinations ADD COLUMN voice_related boolean NOT NULL DEFAULT true');
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id text PRIMARY KEY,
        auto_answer_guard_seconds integer NOT NULL,
        ring_timeout_seconds integer NOT NULL,
        wrap_up_seconds integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tenant_settings');
    await q.query('ALTER TABLE destinations DROP COLUMN voice_related');
    await q.query('DROP INDEX agents_queues');
    await q.query('ALTER TABLE agents DROP COLUMN softphone_reachable');
    await q.query('ALTER TABLE agent_lines DROP COLUMN state, DROP COLUMN free');
    await q.query('DROP INDEX calls_held');
    await q.query('DROP INDEX calls_waiting');
    await q.query(`CREATE INDEX calls_waiting ON calls_view (tenant_id, skill_queue_id, queued_at, call_id) WHERE status = 'queued'`);
    await q.query(
      'ALTER TABLE calls_view DROP COLUMN queue_key, DROP COLUMN requeued_at, DROP COLUMN requeue_reason, DROP COLUMN media_confirmed_at',
    );
  }
}
