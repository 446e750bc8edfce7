import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentSvc1732400020000 implements MigrationInterface {
  name = 'AgentSvc1732400020000';

  async up(q: QueryRunner): Promise<void> {
    // The agent read model and live board (inline projection of the agent streams).
    await q.query(`
      CREATE TABLE agents_view (
        agent_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        org_unit_id text NOT NULL,
        name text NOT NULL,
        work_number text NOT NULL,
        softphone_number text NOT NULL,
        auth_mode text NOT NULL,
        bound_phone jsonb,
        skill_queue_ids jsonb NOT NULL DEFAULT '[]',
        voice_related boolean NOT NULL DEFAULT false,
        signed_in boolean NOT NULL DEFAULT false,
        phones jsonb NOT NULL DEFAULT '{}',
        availability text NOT NULL DEFAULT 'idle',
        current_call_id text,
        state_since timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (tenant_id, work_number)
      )`);
    await q.query('CREATE INDEX agents_view_tenant ON agents_view (tenant_id, name)');
    // What agent-svc knows of tenant-svc (from tenant.* events).
    await q.query(`
      CREATE TABLE tenant_facts (
        tenant_id text PRIMARY KEY,
        status text NOT NULL DEFAULT 'normal',
        webrtc_enabled boolean NOT NULL DEFAULT false,
        gateways jsonb NOT NULL DEFAULT '[]',
        pool_mode boolean NOT NULL DEFAULT false,
        softphone_unified_authentication boolean NOT NULL DEFAULT false
      )`);
    await q.query(`
      CREATE TABLE skill_queues (
        tenant_id text NOT NULL,
        skill_queue_id text NOT NULL,
        media_type text NOT NULL,
        PRIMARY KEY (tenant_id, skill_queue_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE skill_queues');
    await q.query('DROP TABLE tenant_facts');
    await q.query('DROP TABLE agents_view');
  }
}
