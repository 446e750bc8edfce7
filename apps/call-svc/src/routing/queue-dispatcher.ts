import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { loadStreams, PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { agentLineDecider, agentLineStream } from '../agent-lines/agent-line.decider.js';
import { AGENT_LINE_SNAPSHOTS } from '../agent-lines/agent-line.snapshots.js';
import { autoAnswerJob } from '../auto-answer/auto-answer.job.js';
import { callDecider, callStream } from '../calls/call.decider.js';
import { assignCalls, decideOffers, type Assignment } from './dispatch-offers.policy.js';
import { takeQueue } from './dispatch-pass.js';
import { dispatchRequested, queuesRequested, requestDispatch, requestDispatchForAgents } from './dispatch-requests.js';

/** Waiting calls one dispatch offers at most (one transaction): many offers per commit, and short enough for the auto-answers due meanwhile. */
const BATCH = 50;
/** Agents read beyond one per call: some may be held by the dispatcher of another queue they serve. */
const SPARE_AGENTS = 16;
/** How often every instance looks for requests no dispatcher took (one that died, a wake-up lost with a process). */
const SWEEP_MS = 1_000;

/** A dispatch found the queue's lock taken: its holder, wherever it runs, sees this instance's requests after its commit. */
const HELD_ELSEWHERE = 'held-elsewhere';
type PassOutcome = typeof HELD_ELSEWHERE | { again: boolean };

/** One queue's dispatching in this process: at most one pass at a time; wake-ups meanwhile wait for the next pass. */
interface QueueRun {
  tenantId: string;
  skillQueueId: string;
  running: boolean;
  /** Resolved by the next pass to end (their facts committed before it began). */
  waiters: Array<() => void>;
}

/**
 * Routing, the adapter: one dispatcher per queue. Facts that call for a routing (a call queued or given back, an
 * agent free or routable again) only write a dispatch request in their own transaction (`dispatch-requests.ts`)
 * and wake this instance's dispatcher of the queue after their commit. A dispatch pass is one transaction that
 * takes the queue's PostgreSQL advisory transaction lock, the requests it sees, the waiting calls oldest first and
 * the agents first in line, locked (`dispatch-pass.ts`, one statement); lock not taken: another instance
 * dispatches the queue right now and sees the request after its commit. Each call, in order, is offered the agent
 * the routing policy ranks first: strictly first come, first served, one call per agent, up to BATCH offers per
 * commit, decided together (`dispatch-offers.policy.ts`). The line reservations and the offers append in one
 * statement with the versions read, so a call or an agent that changed since the snapshot fails the whole pass,
 * which runs again. After its commit the dispatcher looks again while requests
 * wait (committed after its snapshot), a wake-up came meanwhile, or the batch was full.
 */
@Injectable()
export class QueueDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QueueDispatcher');
  private readonly runs = new Map<string, QueueRun>();
  private sweeper?: NodeJS.Timeout;
  private open = false;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.open = true;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    this.open = false;
    clearInterval(this.sweeper);
  }

  /** In the caller's transaction: the queue has a call waiting; its dispatcher here is woken once that commits. */
  async callWaits(uow: UnitOfWork, tenantId: string, skillQueueId: string): Promise<void> {
    await requestDispatch(uow.sql, tenantId, skillQueueId);
    uow.afterCommit(() => void this.wake(tenantId, skillQueueId));
  }

  /** In the caller's transaction: the agent may take calls; the dispatchers of its queues are woken once that commits. */
  async agentFree(uow: UnitOfWork, tenantId: string, agentId: string): Promise<void> {
    await this.queuesOfAgentsWait(uow, tenantId, [agentId]);
  }

  /** Dispatch requests for the agents' queues (but `except`), whose dispatchers here are woken after the commit. */
  private async queuesOfAgentsWait(uow: UnitOfWork, tenantId: string, agentIds: string[], except?: string): Promise<void> {
    const queues = await requestDispatchForAgents(uow.sql, tenantId, agentIds, except);
    uow.afterCommit(() => queues.forEach((queue) => void this.wake(tenantId, queue)));
  }

  /**
   * Dispatches the queue here (a request for it committed): resolves once a pass that began after this call has
   * ended, or at once when another instance holds the queue (that one offers the call).
   */
  wake(tenantId: string, skillQueueId: string): Promise<void> {
    const key = `${tenantId}\u0000${skillQueueId}`;
    let run = this.runs.get(key);
    if (!run) {
      run = { tenantId, skillQueueId, running: false, waiters: [] };
      this.runs.set(key, run);
    }
    const done = new Promise<void>((resolve) => run.waiters.push(resolve));
    if (!run.running) void this.drain(key, run);
    return done;
  }

  private async drain(key: string, run: QueueRun): Promise<void> {
    run.running = true;
    try {
      for (;;) {
        const waiters = run.waiters.splice(0);
        const outcome = this.open ? await this.pass(run).catch((error: unknown) => this.failed(run, error)) : HELD_ELSEWHERE;
        waiters.forEach((resolve) => resolve());
        if (outcome === HELD_ELSEWHERE) break;
        if (run.waiters.length > 0 || outcome.again) continue;
        const requested = await dispatchRequested(this.store.sql, run.tenantId, run.skillQueueId).catch(() => false);
        // A wake-up during that read: its request may have committed after it.
        if (!requested && run.waiters.length === 0) break;
      }
    } finally {
      run.running = false;
      run.waiters.splice(0).forEach((resolve) => resolve());
      this.runs.delete(key);
    }
  }

  /** A pass failed (no connection, a bug): its requests stay, and the sweep tries again. */
  private failed(run: QueueRun, error: unknown): PassOutcome {
    this.logger.warn(`dispatch of queue ${run.skillQueueId} failed, the sweep retries: ${String(error)}`);
    return HELD_ELSEWHERE;
  }

  private async sweep(): Promise<void> {
    try {
      for (const { tenantId, skillQueueId } of await queuesRequested(this.store.sql)) {
        if (!this.runs.has(`${tenantId}\u0000${skillQueueId}`)) void this.wake(tenantId, skillQueueId);
      }
    } catch (error) {
      this.logger.warn(`cannot read dispatch requests: ${String(error)}`);
    }
  }

  /**
   * One dispatch of the queue, in one transaction holding its lock: each waiting call, oldest first, is offered
   * the agent the routing policy ranks first among those left, all decided together: the calls' and the chosen
   * agents' lines loaded in two statements, every reservation and offer appended in one with the versions read. A
   * lost race (a call or an agent changed since this snapshot) fails the whole pass, which runs again on a fresh
   * snapshot: nothing of it is kept and no call is ever passed over.
   */
  private pass({ tenantId, skillQueueId }: QueueRun): Promise<PassOutcome> {
    return this.store.transaction(async (uow) => {
      const queue = await takeQueue(uow.sql, tenantId, skillQueueId, BATCH, SPARE_AGENTS);
      if (!queue) return HELD_ELSEWHERE;
      const { assignments, left } = assignCalls(queue.callIds, queue.agents, skillQueueId);
      if (assignments.length > 0) await this.offer(uow, tenantId, assignments);
      // Agents locked and left free that serve other queues: a dispatcher of theirs may have passed over them meanwhile.
      const servingOthers = left.filter((a) => a.skillQueueIds.some((queue) => queue !== skillQueueId)).map((a) => a.agentId);
      if (servingOthers.length > 0) await this.queuesOfAgentsWait(uow, tenantId, servingOthers, skillQueueId);
      return { again: queue.callIds.length === BATCH && left.length > 0 };
    });
  }

  /** Reserves the agents' lines and offers them the calls, appended together (versions read are the guarantee), with their auto-answers. */
  private async offer(uow: UnitOfWork, tenantId: string, assignments: readonly Assignment[]): Promise<void> {
    const meta = metadataFor(tenantId);
    const lineIds = assignments.map((a) => agentLineStream(a.agent.agentId));
    const callIds = assignments.map((a) => callStream(a.callId));
    const lines = await loadStreams(uow.sql, lineIds, agentLineDecider, AGENT_LINE_SNAPSHOTS);
    const calls = await loadStreams(uow.sql, callIds, callDecider);
    const offers = decideOffers(
      assignments,
      new Map(assignments.map((a, i) => [a.agent.agentId, lines[i].state])),
      new Map(assignments.map((a, i) => [a.callId, calls[i].state])),
      this.clock.now().toISOString(),
      Math.random,
    );
    await uow.appendTogether(
      offers.flatMap((offer, i) => [
        { streamId: lineIds[i], expectedVersion: lines[i].version, events: offer.lineEvents, meta },
        { streamId: callIds[i], expectedVersion: calls[i].version, events: offer.callEvents, meta },
      ]),
    );
    await uow.saveSnapshots(
      AGENT_LINE_SNAPSHOTS,
      offers.map((offer, i) => ({
        streamId: lineIds[i],
        loadedVersion: lines[i].version,
        version: lines[i].version + offer.lineEvents.length,
        state: offer.lineEvents.reduce(agentLineDecider.evolve, lines[i].state),
      })),
    );
    await this.scheduler.scheduleAll(
      uow,
      offers.map((offer) => autoAnswerJob.job({ tenantId, callId: offer.callId }, offer.autoAnswerDueAt)),
    );
  }
}
