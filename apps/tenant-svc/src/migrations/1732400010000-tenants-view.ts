import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantsView1732400010000 implements MigrationInterface {
  name = 'TenantsView1732400010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants_view (
        tenant_id text PRIMARY KEY,
        name text NOT NULL,
        status text NOT NULL,
        pool_mode boolean NOT NULL,
        webrtc_enabled boolean NOT NULL DEFAULT false,
        gateways jsonb NOT NULL DEFAULT '[]',
        notify_ou_managers_on_poor_network boolean NOT NULL DEFAULT false,
        softphone_unified_authentication boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tenants_view');
  }
}
