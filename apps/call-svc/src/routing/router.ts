import { Inject, Injectable, Logger } from '@nestjs/common';
import { isLostRace, PostgresEventStore, type Sql, type UnitOfWork } from '@softphone/event-store';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { agentLineDecider, agentLineStream } from '../agent-lines/agent-line.decider.js';
import { AGENT_LINE_SNAPSHOTS } from '../agent-lines/agent-line.snapshots.js';
import { autoAnswerJob } from '../auto-answer/auto-answer.job.js';
import { callDecider, callStream } from '../calls/call.decider.js';
import { routeWaitingJob } from './route-waiting.job.js';
import { headOfQueue, lockCandidate } from './routable-agents.js';
import { pickPhone, rankAgents, routableQueues, type PhoneStatus } from './routing.policy.js';

/** How many times a routing after commit is tried when it loses a race to a concurrent one. */
const ROUTE_AGAIN_ATTEMPTS = 3;

/**
 * How many of a queue's routable agents, first in line, a routing reads: more than the routings of one queue
 * that can run at once (a pool of connections per instance), so that each finds one the others do not hold.
 */
const HEAD_OF_QUEUE = 32;
/** Agents a routing tries to lock, at most, before it looks again after its commit. */
const LOCK_ATTEMPTS = 8;

/** A call and the agent chosen for it, both locked by this transaction. */
interface Match {
  callId: string;
  agentId: string;
  phones: Partial<Record<string, PhoneStatus>>;
}

/**
 * Routing, the adapter: gathers the facts (the head of the queue's index of
 * routable agents, or the one agent now free, and the waiting calls), lets the
 * routing policy choose, locks the choice and offers. A waiting call goes to
 * the agent the policy ranks first; an agent who becomes free takes the call at
 * the head of its queues. Both run in the caller's transaction: the agent's
 * line and the call's stream are appended with the versions read, so two
 * instances routing at once cannot both win.
 *
 * Concurrent routings pass over the agents (and calls) another transaction is
 * routing right now (SKIP LOCKED), in the policy's order, instead of all
 * picking the same one and retrying: the line reservation stays the guarantee.
 * A choice that lost its race (what it read was taken by a transaction that
 * committed since: a serialization failure under REPEATABLE READ) is undone to
 * its savepoint and does not fail the caller's transaction (an arrival, an
 * auto-answer batch, a directory update). A call arriving while an agent
 * becomes free, in two concurrent transactions, would each miss the other; so
 * a routing that found no match (or lost its race) looks again in a new
 * transaction once its own committed, retried whole if it loses again: the
 * later of the two sees both.
 */
@Injectable()
export class Router {
  private readonly logger = new Logger('Router');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A call waits in its queue: the best routable agent takes the call at the head of that queue (this one, unless
   * an older one still waits: first come, first served); true when this call was offered, else it keeps waiting.
   */
  routeCall(uow: UnitOfWork, tenantId: string, callId: string, skillQueueId: string): Promise<boolean> {
    return this.route(
      uow,
      tenantId,
      (tx) => this.agentFor(tx, tenantId, skillQueueId),
      (match) => match?.callId === callId,
    );
  }

  /** Gives a free, routable agent the call at the head of its queues; false when there is none. */
  routeAgent(uow: UnitOfWork, tenantId: string, agentId: string): Promise<boolean> {
    return this.route(
      uow,
      tenantId,
      (tx) => this.callFor(tx, tenantId, agentId),
      (match) => match !== undefined,
    );
  }

  private async route(
    uow: UnitOfWork,
    tenantId: string,
    choose: (uow: UnitOfWork) => Promise<Match | undefined>,
    done: (match: Match | undefined) => boolean,
  ): Promise<boolean> {
    const match = await this.inSavepoint(uow, 'routing', () => choose(uow));
    if (match) await this.offer(uow, tenantId, match);
    if (!done(match))
      uow.afterCommit(() =>
        this.routeAgain(tenantId, choose).catch((error: unknown) =>
          this.logger.warn(`routing again after commit failed: ${String(error)}`),
        ),
      );
    return done(match);
  }

  /** Looks again in a transaction of its own; one that lost a race to a concurrent routing is tried again, up to ROUTE_AGAIN_ATTEMPTS. */
  private async routeAgain(tenantId: string, choose: (uow: UnitOfWork) => Promise<Match | undefined>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.transaction(async (again) => {
          const second = await choose(again);
          if (second) await this.offer(again, tenantId, second);
        });
        return;
      } catch (error) {
        if (!isLostRace(error) || attempt >= ROUTE_AGAIN_ATTEMPTS) throw error;
      }
    }
  }

  /** Work undone to a savepoint when it lost a race (undefined then): the caller's transaction goes on. */
  private async inSavepoint<T>(uow: UnitOfWork, name: string, work: () => Promise<T | undefined>): Promise<T | undefined> {
    await uow.sql.execute(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await uow.sql.execute(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      if (!isLostRace(error)) throw error;
      await uow.sql.execute(`ROLLBACK TO SAVEPOINT ${name}`);
      return undefined;
    }
  }

  /**
   * Locks the first of the agents, in the policy's order, still free now: one another routing holds is passed
   * over (SKIP LOCKED); one a transaction committed a change to since this one's snapshot began (its line
   * reserved: a serialization failure under REPEATABLE READ) is passed over too, by locking again after it.
   */
  private async lockFirst(uow: UnitOfWork, ranked: string[]) {
    for (let from = 0; from < Math.min(ranked.length, LOCK_ATTEMPTS); from++) {
      const locked = await this.inSavepoint(uow, 'candidate', async () => {
        const [agent] = await uow.sql.rows<{ agent_id: string; phones: Partial<Record<string, PhoneStatus>> }>(
          `SELECT agent_id, phones FROM agents WHERE agent_id = ANY($1) ORDER BY array_position($1, agent_id) LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [ranked.slice(from)],
        );
        return { agent };
      });
      if (locked) return locked.agent;
    }
    return undefined;
  }

  /** The call first in line in the queue and the first of the policy's order among the queue's routable agents that no concurrent routing holds. */
  private async agentFor(uow: UnitOfWork, tenantId: string, skillQueueId: string): Promise<Match | undefined> {
    const waiting = await this.headOfQueues(uow.sql, tenantId, [skillQueueId]);
    if (!waiting) return undefined;
    const candidates = await headOfQueue(uow.sql, tenantId, skillQueueId, HEAD_OF_QUEUE);
    const ranked = rankAgents(candidates, skillQueueId, waiting.call_id);
    if (ranked.length === 0) return undefined;
    const agent = await this.lockFirst(uow, ranked);
    return agent && { callId: waiting.call_id, agentId: agent.agent_id, phones: agent.phones };
  }

  /** The agent (unless another routing holds it) and the waiting call first in line in the queues it can take calls of. */
  private async callFor(uow: UnitOfWork, tenantId: string, agentId: string): Promise<Match | undefined> {
    const agent = await lockCandidate(uow.sql, tenantId, agentId);
    if (!agent) return undefined;
    // Only the queues the agent may take calls of (none when it is not routable at all): no call is locked for nothing.
    const queues = routableQueues(agent);
    const waiting = queues.length > 0 ? await this.headOfQueues(uow.sql, tenantId, queues) : undefined;
    return waiting && { callId: waiting.call_id, agentId, phones: agent.phones };
  }

  /**
   * The waiting call first in line in any of the queues (queue_key is the routing policy's order). Another routing
   * that holds it is waited for, never passed over (passing over it let younger calls overtake one whose routing was
   * slow: first come, first served broke under load with three instances); when that routing offered it meanwhile,
   * the lock ends in a serialization failure, the savepoint undoes this choice and the routing looks again after commit.
   */
  private async headOfQueues(sql: Sql, tenantId: string, skillQueueIds: string[]) {
    const [waiting] = await sql.rows<{ call_id: string; skill_queue_id: string }>(
      `SELECT call_id, skill_queue_id FROM calls_view
       WHERE tenant_id = $1 AND status = 'queued' AND skill_queue_id = ANY($2)
       ORDER BY queue_key LIMIT 1 FOR UPDATE`,
      [tenantId, skillQueueIds],
    );
    return waiting;
  }

  private async offer(uow: UnitOfWork, tenantId: string, { callId, agentId, phones }: Match): Promise<void> {
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
