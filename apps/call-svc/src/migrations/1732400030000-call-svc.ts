import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallSvc1732400030000 implements MigrationInterface {
  name = 'CallSvc1732400030000';

  async up(q: QueryRunner): Promise<void> {
    // Calls as the API shows them, and the waiting queues (inline projection of the call streams).
    await q.query(`
      CREATE TABLE calls_view (
        call_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        direction text NOT NULL,
        status text NOT NULL,
        agent_id text,
        phone_id smallint,
        from_number text NOT NULL,
        to_number text NOT NULL,
        skill_queue_id text,
        via text,
        ivr_id text,
        announcement_ends_at timestamptz,
        media jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        queued_at timestamptz,
        offered_at timestamptz,
        auto_answer_due_at timestamptz,
        connected_at timestamptz,
        answered_by text,
        ended_at timestamptz,
        ended_by text,
        end_reason text,
        talk_seconds numeric,
        total_seconds numeric
      )`);
    await q.query(`CREATE INDEX calls_waiting ON calls_view (tenant_id, skill_queue_id, queued_at, call_id) WHERE status = 'queued'`);
    // Which call holds each agent's line (inline projection of the agent-line streams).
    await q.query(`
      CREATE TABLE agent_lines (
        agent_id text PRIMARY KEY,
        call_id text,
        free_since timestamptz
      )`);
    // What call-svc knows of agent-svc and tenant-svc (from their events).
    await q.query(`
      CREATE TABLE agents (
        agent_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        softphone_number text NOT NULL,
        signed_in boolean NOT NULL DEFAULT false,
        phones jsonb NOT NULL DEFAULT '{}',
        skill_queue_ids jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query('CREATE INDEX agents_by_number ON agents (tenant_id, softphone_number)');
    await q.query(`
      CREATE TABLE destinations (
        tenant_id text NOT NULL,
        access_code text NOT NULL,
        kind text NOT NULL,
        skill_queue_id text NOT NULL,
        ivr_id text,
        announcement_seconds numeric,
        PRIMARY KEY (tenant_id, access_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['destinations', 'agents', 'agent_lines', 'calls_view']) await q.query(`DROP TABLE ${table}`);
  }
}
