import { Inject, Injectable, Logger } from '@nestjs/common';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { agentLineDecider, agentLineStream } from '../agent-lines/agent-line.decider.js';
import { AGENT_LINE_SNAPSHOTS } from '../agent-lines/agent-line.snapshots.js';
import { AUTO_ANSWER_JOB, autoAnswerJobId } from '../auto-answer/auto-answer.job.js';
import { callDecider, callStream, type PhoneId } from '../calls/call.decider.js';
import { routeWaitingJobId } from './route-again.js';

/** The guide: an offered call is answered automatically about two seconds later (after the IVR announcement, if any). */
export const AUTO_ANSWER_DELAY_MS = 2_000;

interface IdleAgent {
  agent_id: string;
  phones: Record<string, string>;
}

/**
 * An agent may take a call when signed in, every phone registered, bound to
 * the queue, and its line free (a jsonpath test, not a set-returning subquery
 * per agent: routing reads every agent of the tenant, 5× cheaper at 2,000).
 */
const IDLE_AGENTS = `
  SELECT a.agent_id, a.phones FROM agents a
  LEFT JOIN agent_lines l ON l.agent_id = a.agent_id
  WHERE a.tenant_id = $1 AND a.signed_in AND a.phones <> '{}'
    AND NOT (a.phones @? '$.* ? (@ != "registered")')
    AND l.call_id IS NULL`;

/**
 * Concurrent routings pass over the agents (and calls) another transaction is
 * routing right now, and agents idle equally long are taken in an order of the
 * call's own (a hash of agent and call), instead of all picking the same one and
 * retrying: the line reservation stays the guarantee, this only avoids the pile-up.
 */
const SKIP_AGENTS_BEING_ROUTED = 'FOR UPDATE OF a SKIP LOCKED';

/**
 * Routing: a waiting call goes to the agent idle the longest; an agent who
 * becomes free takes the oldest waiting call of its queues (first come, first
 * served). Both run in the caller's transaction: the agent's line and the
 * call's stream are appended with the versions read, so two instances routing
 * at once cannot both win (the loser's transaction re-runs and sees the result).
 *
 * A call arriving while an agent becomes free, in two concurrent transactions,
 * would each miss the other (neither sees the other's uncommitted row): so a
 * routing that found no match looks again in a new transaction once its own
 * committed. The later of the two commits then sees both.
 */
@Injectable()
export class Router {
  private readonly logger = new Logger('Router');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Offers a waiting call to an idle agent of its queue; false when none is free (it keeps waiting). */
  async routeCall(uow: UnitOfWork, tenantId: string, callId: string, skillQueueId: string): Promise<boolean> {
    const routed = await this.tryCall(uow, tenantId, callId, skillQueueId);
    if (!routed) this.lookAgainAfterCommit(uow, (again) => this.tryCall(again, tenantId, callId, skillQueueId));
    return routed;
  }

  /** Gives a free, eligible agent the oldest call waiting in one of its queues; false when there is none. */
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
    const [agent] = await uow.sql.rows<IdleAgent>(
      `${IDLE_AGENTS} AND a.skill_queue_ids ? $2 ORDER BY l.free_since NULLS FIRST, hashtext(a.agent_id || $3) LIMIT 1 ${SKIP_AGENTS_BEING_ROUTED}`,
      [tenantId, skillQueueId, callId],
    );
    if (!agent) return false;
    await this.offer(uow, tenantId, callId, agent);
    return true;
  }

  private async tryAgent(uow: UnitOfWork, tenantId: string, agentId: string): Promise<boolean> {
    const [agent] = await uow.sql.rows<IdleAgent>(`${IDLE_AGENTS} AND a.agent_id = $2 ${SKIP_AGENTS_BEING_ROUTED}`, [tenantId, agentId]);
    if (!agent) return false;
    const [waiting] = await uow.sql.rows<{ call_id: string }>(
      `SELECT call_id FROM calls_view
       WHERE tenant_id = $1 AND status = 'queued' AND skill_queue_id IN (SELECT jsonb_array_elements_text(skill_queue_ids) FROM agents WHERE agent_id = $2)
       ORDER BY queued_at, call_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [tenantId, agentId],
    );
    if (!waiting) return false;
    await this.offer(uow, tenantId, waiting.call_id, agent);
    return true;
  }

  private async offer(uow: UnitOfWork, tenantId: string, callId: string, agent: IdleAgent): Promise<void> {
    const meta = metadataFor(tenantId);
    await uow.decide(
      agentLineStream(agent.agent_id),
      agentLineDecider,
      { type: 'Reserve', agentId: agent.agent_id, callId },
      meta,
      AGENT_LINE_SNAPSHOTS,
    );
    const [call] = await uow.sql.rows<{ announcement_ends_at: Date | null }>(
      'SELECT announcement_ends_at FROM calls_view WHERE call_id = $1',
      [callId],
    );
    const now = this.clock.now();
    const dueAt = new Date(Math.max(now.getTime(), call?.announcement_ends_at?.getTime() ?? 0) + AUTO_ANSWER_DELAY_MS);
    const offer = {
      callId,
      agentId: agent.agent_id,
      phoneId: pickPhone(agent.phones),
      autoAnswerDueAt: dueAt.toISOString(),
      now: now.toISOString(),
    };
    await uow.decide(callStream(callId), callDecider, { type: 'Offer', ...offer }, meta);
    await this.scheduler.schedule(uow, { id: autoAnswerJobId(callId), kind: AUTO_ANSWER_JOB, dueAt, payload: { tenantId, callId } });
    await this.scheduler.cancel(uow, routeWaitingJobId(callId));
  }
}

/** Pool mode: either registered phone, at random. */
export function pickPhone(phones: Record<string, string>, random = Math.random): PhoneId {
  const registered = Object.keys(phones)
    .filter((id) => phones[id] === 'registered')
    .map(Number) as PhoneId[];
  return registered[Math.floor(random() * registered.length)] ?? 1;
}
