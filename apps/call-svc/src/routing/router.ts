import { Inject, Injectable, Logger } from '@nestjs/common';
import { PostgresEventStore, type Sql, type UnitOfWork } from '@softphone/event-store';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { agentLineDecider, agentLineStream } from '../agent-lines/agent-line.decider.js';
import { AGENT_LINE_SNAPSHOTS } from '../agent-lines/agent-line.snapshots.js';
import { autoAnswerJob } from '../auto-answer/auto-answer.job.js';
import { callDecider, callStream } from '../calls/call.decider.js';
import { routeWaitingJob } from './route-waiting.job.js';
import { headOfQueue, lockCandidate } from './routable-agents.js';
import { pickPhone, rankAgents, routableQueues, type PhoneStatus } from './routing.policy.js';

/**
 * How many of a queue's routable agents, first in line, a routing reads: more than the routings of one queue
 * that can run at once (a pool of connections per instance), so that each finds one the others do not hold.
 */
const HEAD_OF_QUEUE = 32;

/**
 * Routing, the adapter: gathers the facts (the head of the queue's index of
 * routable agents, or the one agent now free, and the waiting calls), lets the
 * routing policy choose, locks the choice and offers. A waiting call goes to the agent the policy ranks first; an agent
 * who becomes free takes the call at the head of its queues. Both run in the
 * caller's transaction: the agent's line and the call's stream are appended
 * with the versions read, so two instances routing at once cannot both win
 * (the loser's transaction re-runs and sees the result).
 *
 * Concurrent routings pass over the agents (and calls) another transaction is
 * routing right now (SKIP LOCKED), in the policy's order, instead of all
 * picking the same one and retrying: the line reservation stays the guarantee.
 * A call arriving while an agent becomes free, in two concurrent transactions,
 * would each miss the other; so a routing that found no match looks again in a
 * new transaction once its own committed: the later of the two sees both.
 */
@Injectable()
export class Router {
  private readonly logger = new Logger('Router');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Offers a waiting call to the best routable agent of its queue; false when none is free (it keeps waiting). */
  async routeCall(uow: UnitOfWork, tenantId: string, callId: string, skillQueueId: string): Promise<boolean> {
    const routed = await this.tryCall(uow, tenantId, callId, skillQueueId);
    if (!routed) this.lookAgainAfterCommit(uow, (again) => this.tryCall(again, tenantId, callId, skillQueueId));
    return routed;
  }

  /** Gives a free, routable agent the call at the head of its queues; false when there is none. */
  async routeAgent(uow: UnitOfWork, tenantId: string, agentId: string): Promise<boolean> {
    const routed = await this.tryAgent(uow, tenantId, agentId);
    if (!routed) this.lookAgainAfterCommit(uow, (again) => this.tryAgent(again, tenantId, agentId));
    return routed;
  }

  private lookAgainAfterCommit(uow: UnitOfWork, attempt: (again: UnitOfWork) => Promise<boolean>): void {
    uow.afterCommit(() =>
      this.store.transaction(attempt).then(
        () => undefined,
        (error: unknown) => this.logger.warn(`routing again after commit failed: ${String(error)}`),
      ),
    );
  }

  private async tryCall(uow: UnitOfWork, tenantId: string, callId: string, skillQueueId: string): Promise<boolean> {
    const [waiting] = await uow.sql.rows('SELECT 1 FROM calls_view WHERE call_id = $1 AND status = $2', [callId, 'queued']);
    if (!waiting) return false;
    const candidates = await headOfQueue(uow.sql, tenantId, skillQueueId, HEAD_OF_QUEUE);
    const ranked = rankAgents(candidates, skillQueueId, callId);
    if (ranked.length === 0) return false;
    // The first of the policy's order that no concurrent routing holds.
    const [agent] = await uow.sql.rows<{ agent_id: string; phones: Partial<Record<string, PhoneStatus>> }>(
      `SELECT agent_id, phones FROM agents WHERE agent_id = ANY($1) ORDER BY array_position($1, agent_id) LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [ranked],
    );
    if (!agent) return false;
    await this.offer(uow, tenantId, callId, agent.agent_id, agent.phones);
    return true;
  }

  private async tryAgent(uow: UnitOfWork, tenantId: string, agentId: string): Promise<boolean> {
    const agent = await lockCandidate(uow.sql, tenantId, agentId);
    if (!agent) return false;
    // Only the queues the agent may take calls of (none when it is not routable at all): no call is locked for nothing.
    const queues = routableQueues(agent);
    const waiting = queues.length > 0 ? await this.headOfQueues(uow.sql, tenantId, queues) : undefined;
    if (!waiting) return false;
    await this.offer(uow, tenantId, waiting.call_id, agent.agentId, agent.phones);
    return true;
  }

  /** The waiting call first in line in any of the queues (queue_key is the routing policy's order), unless another routing holds it. */
  private async headOfQueues(sql: Sql, tenantId: string, skillQueueIds: string[]) {
    const [waiting] = await sql.rows<{ call_id: string; skill_queue_id: string }>(
      `SELECT call_id, skill_queue_id FROM calls_view
       WHERE tenant_id = $1 AND status = 'queued' AND skill_queue_id = ANY($2)
       ORDER BY queue_key LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [tenantId, skillQueueIds],
    );
    return waiting;
  }

  private async offer(
    uow: UnitOfWork,
    tenantId: string,
    callId: string,
    agentId: string,
    phones: Partial<Record<string, PhoneStatus>>,
  ): Promise<void> {
    const meta = metadataFor(tenantId);
    await uow.decide(
      agentLineStream(agentId),
      agentLineDecider,
      { type: 'Reserve', agentId, callId, outbound: false },
      meta,
      AGENT_LINE_SNAPSHOTS,
    );
    const offer = {
      type: 'Offer' as const,
      callId,
      agentId,
      phoneId: pickPhone(phones, Math.random()),
      now: this.clock.now().toISOString(),
    };
    const { events } = await uow.decide(callStream(callId), callDecider, offer, meta);
    const offered = events.find((e) => e.type === 'call.offered')!.data as { autoAnswerDueAt: string };
    await autoAnswerJob.schedule(this.scheduler, uow, { tenantId, callId }, offered.autoAnswerDueAt);
    await routeWaitingJob.cancel(this.scheduler, uow, callId);
  }
}
