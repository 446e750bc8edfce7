import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgUnitsView1732400010001 implements MigrationInterface {
  name = 'OrgUnitsView1732400010001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_units_view (
        tenant_id text NOT NULL,
        org_unit_id text NOT NULL,
        name text NOT NULL,
        parent_org_unit_id text,
        manager_id text,
        manager_name text,
        manager_email text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, org_unit_id)
      )`);
    // Sibling names are unique, case-insensitively; root units are siblings of each other.
    await q.query(
      `CREATE UNIQUE INDEX org_units_view_sibling_name ON org_units_view (tenant_id, coalesce(parent_org_unit_id, ''), lower(name))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE org_units_view');
  }
}
