import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What quality-svc knows of the other services: calls, agents, org units and their managers, tenant parameters. */
export class Directory1732400040001 implements MigrationInterface {
  name = 'Directory1732400040001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calls (
        tenant_id text NOT NULL,
        call_id text NOT NULL,
        agent_id text,
        ended_at timestamptz,
        PRIMARY KEY (tenant_id, call_id)
      )`);
    await q.query('CREATE INDEX calls_agent ON calls (tenant_id, agent_id)');
    await q.query(`
      CREATE TABLE agents (
        tenant_id text NOT NULL,
        agent_id text NOT NULL,
        org_unit_id text NOT NULL,
        name text NOT NULL,
        PRIMARY KEY (tenant_id, agent_id)
      )`);
    await q.query(`
      CREATE TABLE org_units (
        tenant_id text NOT NULL,
        org_unit_id text NOT NULL,
        name text,
        parent_org_unit_id text,
        manager_id text,
        manager_name text,
        manager_email text,
        PRIMARY KEY (tenant_id, org_unit_id)
      )`);
    await q.query(`
      CREATE TABLE tenant_parameters (
        tenant_id text PRIMARY KEY,
        notify_ou_managers_on_poor_network boolean NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tenant_parameters, org_units, agents, calls');
  }
}
