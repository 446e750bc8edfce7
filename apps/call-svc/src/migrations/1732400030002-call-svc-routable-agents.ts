import { sqlOnRunner } from '@softphone/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { reindexAgent } from '../routing/routable-agents.js';

/**
 * Issue 13: the index of routable agents. A routing read and ranked every agent of the tenant (O(agents) per
 * call); now it reads the head of its queue here: one row per (queue, agent the routing policy says can take
 * its calls now), ordered by how long the agent's line is free. The directory and agent-line projections keep it.
 */
export class CallSvcRoutableAgents1732400030002 implements MigrationInterface {
  name = 'CallSvcRoutableAgents1732400030002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents ADD COLUMN routable_queue_ids jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      CREATE TABLE routable_agents (
        tenant_id text NOT NULL,
        skill_queue_id text NOT NULL,
        agent_id text NOT NULL,
        free_since timestamptz,
        PRIMARY KEY (agent_id, skill_queue_id)
      )`);
    await q.query('CREATE INDEX routable_agents_next ON routable_agents (tenant_id, skill_queue_id, free_since ASC NULLS FIRST, agent_id)');
    // The agents known already, judged once by the same policy the projections use from now on.
    const sql = sqlOnRunner(q);
    for (const { agent_id } of await sql.rows<{ agent_id: string }>('SELECT agent_id FROM agents')) await reindexAgent(sql, agent_id);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routable_agents');
    await q.query('ALTER TABLE agents DROP COLUMN routable_queue_ids');
  }
}
