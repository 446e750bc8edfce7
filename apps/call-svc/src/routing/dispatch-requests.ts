import type { Sql } from '@softphone/event-store';

/**
 * The durable "this queue needs a dispatch" marker: a row written in the transaction of the fact that calls for
 * one (a call queued or given back, an agent free or routable again). Rows are only ever inserted by the facts
 * and deleted by the queue's dispatcher (the one transaction holding its lock: `dispatch-pass.ts`), so writers never contend: a
 * dispatch deletes the rows its snapshot sees, and a row committed after that snapshot is still there when the
 * dispatcher looks again after its commit. A row left by a dispatcher that died is found by every instance's sweep.
 */
export async function requestDispatch(sql: Sql, tenantId: string, skillQueueId: string): Promise<void> {
  await sql.prepared('call_request_dispatch', 'INSERT INTO dispatch_requests (tenant_id, skill_queue_id) VALUES ($1, $2)', [
    tenantId,
    skillQueueId,
  ]);
}

/**
 * A dispatch of every queue the agents can take a call of now (the routing index's rows of each), but `except`;
 * those queues.
 */
export async function requestDispatchForAgents(sql: Sql, tenantId: string, agentIds: string[], except = ''): Promise<string[]> {
  const rows = await sql.prepared<{ skill_queue_id: string }>(
    'call_request_dispatch_for_agents',
    `INSERT INTO dispatch_requests (tenant_id, skill_queue_id)
     SELECT DISTINCT tenant_id, skill_queue_id FROM routable_agents WHERE agent_id = ANY($1) AND tenant_id = $2 AND skill_queue_id <> $3
     RETURNING skill_queue_id`,
    [agentIds, tenantId, except],
  );
  return rows.map((r) => r.skill_queue_id);
}

/** Whether requests for the queue wait (read after a dispatch's commit: one committed meanwhile). */
export async function dispatchRequested(sql: Sql, tenantId: string, skillQueueId: string): Promise<boolean> {
  const [row] = await sql.prepared<{ requested: boolean }>(
    'call_dispatch_requested',
    'SELECT EXISTS (SELECT 1 FROM dispatch_requests WHERE tenant_id = $1 AND skill_queue_id = $2) AS requested',
    [tenantId, skillQueueId],
  );
  return row.requested;
}

/** Every queue with a request waiting, of any tenant (the sweep: a dispatcher that died, a wake-up lost). */
export async function queuesRequested(sql: Sql): Promise<Array<{ tenantId: string; skillQueueId: string }>> {
  const rows = await sql.rows<{ tenant_id: string; skill_queue_id: string }>(
    'SELECT DISTINCT tenant_id, skill_queue_id FROM dispatch_requests',
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, skillQueueId: r.skill_queue_id }));
}
