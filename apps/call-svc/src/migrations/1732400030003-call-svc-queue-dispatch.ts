import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: one dispatcher per queue. Facts that call for a routing (a call queued, an agent free) only write a
 * dispatch request for their queue; the queue's dispatcher (one at a time across instances) matches its waiting
 * calls to its free agents. The durable second routing of each waiting call (`call.route-waiting` jobs) is
 * replaced by these requests: pending ones become requests for their queue.
 */
export class CallSvcQueueDispatch1732400030003 implements MigrationInterface {
  name = 'CallSvcQueueDispatch1732400030003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dispatch_requests (
        request_id bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        skill_queue_id text NOT NULL
      )`);
    await q.query('CREATE INDEX dispatch_requests_queue ON dispatch_requests (tenant_id, skill_queue_id)');
    await q.query(`
      INSERT INTO dispatch_requests (tenant_id, skill_queue_id)
      SELECT DISTINCT payload->>'tenantId', payload->>'skillQueueId' FROM scheduled_jobs WHERE kind = 'call.route-waiting'`);
    await q.query(`DELETE FROM scheduled_jobs WHERE kind = 'call.route-waiting'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dispatch_requests');
  }
}
