import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CallHandlingParameters, CallMedia, ScreenShare } from '@softphone/contracts';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { assertActsAsAgent, type Principal } from '@softphone/auth';
import { NotFoundError } from '@softphone/errors';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { AgentLineCommands } from '../agent-lines/agent-line.commands.js';
import { answerGuardJob } from '../auto-answer/answer-guard.job.js';
import { autoAnswerJob, type CallJob } from '../auto-answer/auto-answer.job.js';
import type { PreparedAutoAnswers } from '../auto-answer/auto-answer.preparation.js';
import { callHandlingOf, destinationOf } from '../directory/destinations.query.js';
import { requestDispatch } from '../routing/dispatch-requests.js';
import { QueueDispatcher } from '../routing/queue-dispatcher.js';
import type { PhoneId, PhoneStatus } from '../routing/routing.policy.js';
import { answerGuardDueAt, ringTimeoutDueAt, unknownDestinationDeadline } from './call-timers.policy.js';
import { Batcher } from './batcher.js';
import { callDecider, callStream, type CallCommand, type CallState, type InboundRoute, type MediaChange } from './call.decider.js';
import { CallsQuery, type CallView } from './calls.query.js';
import { heldCallJob } from './held-call.job.js';
import { ringTimeoutJob } from './ring-timeout.job.js';

/**
 * The call a command is on, in the caller's tenant; `agent`: an agent's command on its own call (the call's agent
 * must be that agent: 403 otherwise), checked on the stream the command loads, with no statement of its own.
 */
type Commanding = { tenantId: string; callId: string; agent?: Principal };
type Arrival = { on: Commanding; caller: string; dialed: string; media: CallMedia };

/** Arrivals recorded per transaction, at most; transactions recording arrivals at once; arrivals waiting beyond which one is refused (503). */
const ARRIVALS = { batch: 50, writers: 2, maxWaiting: 10_000 };
/** Arrivals' answers read per statement; an arrival recorded is always answered (never refused). */
const ANSWERS = { batch: 200, writers: 2, maxWaiting: Number.POSITIVE_INFINITY };

/**
 * Call commands: each gathers the facts it needs (call-svc's directory, the
 * tenant's parameters), lets the call decider decide, appends, and keeps the
 * agent's line, the routing and the call's timers in step, in one transaction.
 */
@Injectable()
export class CallCommands {
  private readonly logger = new Logger('CallCommands');
  /** The arrivals' answers, read together: a burst's answers come back together, when the dispatcher's pass ends. */
  private readonly answers = new Batcher<Commanding, CallView>((ons) => this.query.getAll(ons), ANSWERS);
  private readonly arrivals = new Batcher<Arrival, CallState>(
    (arrivals) => this.store.transaction((uow) => this.recordArrivals(uow, arrivals)),
    ARRIVALS,
  );

  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: CallsQuery,
    private readonly dispatcher: QueueDispatcher,
    private readonly lines: AgentLineCommands,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Outbound: the agent's phone rings first (pool mode: a registered phone at random); the ring timeout starts. */
  place(tenantId: string, agentId: string, to: string, media: CallMedia): Promise<CallView> {
    const on = { tenantId, callId: randomUUID() };
    return this.run(on, async (uow) => {
      const [agent] = await uow.sql.rows<{ signed_in: boolean; phones: Partial<Record<string, PhoneStatus>>; softphone_number: string }>(
        'SELECT signed_in, phones, softphone_number FROM agents WHERE agent_id = $1 AND tenant_id = $2',
        [agentId, tenantId],
      );
      if (!agent) throw new NotFoundError('agent', agentId);
      const now = this.now();
      const placeCall: CallCommand = {
        type: 'PlaceCall',
        callId: on.callId,
        agentId,
        agent: { signedIn: agent.signed_in, phones: agent.phones },
        random: Math.random(),
        from: agent.softphone_number,
        to,
        media,
        now,
      };
      await this.decideNew(uow, on, placeCall);
      await this.lines.reserveForOutbound(uow, tenantId, agentId, on.callId);
      const { ringTimeoutSeconds } = await callHandlingOf(uow.sql, tenantId);
      await ringTimeoutJob.schedule(this.scheduler, uow, on, ringTimeoutDueAt(now, ringTimeoutSeconds));
    });
  }

  answer(on: Commanding): Promise<CallView> {
    return this.onCall(on, async (uow) => {
      await this.decide(uow, on, { type: 'AgentAnswer', callId: on.callId });
      await ringTimeoutJob.cancel(this.scheduler, uow, on.callId);
    });
  }

  customerAnswered(on: Commanding): Promise<CallView> {
    return this.onCall(
      on,
      async (uow) => void (await this.decide(uow, on, { type: 'CustomerAnswer', callId: on.callId, now: this.now() })),
    );
  }

  /**
   * Inbound: the call is recorded with its queue's dispatch request (a short
   * transaction, shared with the calls arriving meanwhile: `arrivals`), then
   * the queue's dispatcher is woken and awaited, so the answer says `offered`
   * when an agent was free. A number call-svc does not know yet is held until
   * it learns it, or disconnected when the hold is over.
   */
  async receive(tenantId: string, caller: string, dialed: string, media: CallMedia): Promise<CallView> {
    const on = { tenantId, callId: randomUUID() };
    const state = await this.arrivals.submit({ on, caller, dialed, media });
    if (state.status === 'queued') await this.dispatcher.wake(tenantId, state.skillQueueId!);
    // Held: the number may have been consumed while this call was recorded (neither transaction saw the other): look again.
    if (state.status === 'arrived') await this.store.transaction((uow) => this.resolveHeld(uow, on, false));
    return this.answers.submit(on);
  }

  /** Arrivals recorded together in one transaction: each call, its hold job if held, one dispatch request per queue. */
  private async recordArrivals(uow: UnitOfWork, arrivals: Arrival[]): Promise<CallState[]> {
    const now = this.now();
    const routes = new Map<string, Promise<InboundRoute>>();
    const queues = new Map<string, { tenantId: string; skillQueueId: string }>();
    const states: CallState[] = [];
    for (const { on, caller, dialed, media } of arrivals) {
      const key = `${on.tenantId}\u0000${dialed}`;
      if (!routes.has(key)) routes.set(key, destinationOf(uow.sql, on.tenantId, dialed));
      const route = await routes.get(key)!;
      const { state } = await this.decideNew(uow, on, { type: 'ReceiveCall', callId: on.callId, caller, dialed, media, route, now });
      if (state.status === 'queued')
        queues.set(`${on.tenantId}\u0000${state.skillQueueId}`, { tenantId: on.tenantId, skillQueueId: state.skillQueueId! });
      else await this.afterDestination(uow, on, state, now);
      states.push(state);
    }
    for (const { tenantId, skillQueueId } of queues.values()) await requestDispatch(uow.sql, tenantId, skillQueueId);
    return states;
  }

  /** The agent's softphone confirms media on an auto-answered call: the guard is satisfied. */
  confirmMedia(on: Commanding): Promise<CallView> {
    return this.onCall(on, async (uow) => {
      await this.decide(uow, on, { type: 'ConfirmMedia', callId: on.callId, now: this.now() });
      await answerGuardJob.cancel(this.scheduler, uow, on.callId);
    });
  }

  changeMedia(on: Commanding, change: MediaChange, screenShare: ScreenShare | null): Promise<CallView> {
    return this.onCall(
      on,
      async (uow) => void (await this.decide(uow, on, { type: 'ChangeMedia', callId: on.callId, change, screenShare })),
    );
  }

  /** Hang-up by either side: the call's timers go, the agent's line is freed (or wrap-up starts). */
  hangUp(on: Commanding, by: 'agent' | 'customer'): Promise<CallView> {
    return this.onCall(on, async (uow) => {
      const { state } = await this.decide(uow, on, { type: 'HangUp', callId: on.callId, by, now: this.now() });
      await this.ended(uow, on, state);
    });
  }

  /**
   * The auto-answer jobs due together: the calls still offered are answered (their streams read and appended in one
   * statement each) and their guards start (one statement). The calls changed since this transaction's snapshot
   * (a hang-up meanwhile) are given back: each job runs again alone. The calls and tenants `prepared` are not read again.
   */
  async autoAnswerAll(uow: UnitOfWork, jobs: CallJob[], prepared?: PreparedAutoAnswers): Promise<CallJob[]> {
    const now = this.now();
    const decided = await uow.decideAll(
      callDecider,
      jobs.map((on) => ({
        streamId: callStream(on.callId),
        command: { type: 'AutoAnswer' as const, callId: on.callId, now },
        meta: metadataFor(on.tenantId),
        loaded: prepared?.calls.get(on.callId),
      })),
    );
    const handling = new Map<string, CallHandlingParameters>(prepared?.handling);
    const guards = [];
    for (const [i, on] of jobs.entries()) {
      if (!decided[i]?.events.length) continue;
      if (!handling.has(on.tenantId)) handling.set(on.tenantId, await callHandlingOf(uow.sql, on.tenantId));
      guards.push(answerGuardJob.job(on, answerGuardDueAt(now, handling.get(on.tenantId)!.autoAnswerGuardSeconds)));
    }
    await this.scheduler.scheduleAll(uow, guards);
    return jobs.filter((_, i) => decided[i] === null);
  }

  /** The guard job: media still unconfirmed, the call goes back to the head of its queue and the agent is not responding. */
  async answerGuardExpired(uow: UnitOfWork, on: CallJob): Promise<void> {
    const { events, state } = await this.decide(uow, on, { type: 'AnswerGuardExpired', callId: on.callId, now: this.now() });
    const requeued = events.find((e) => e.type === 'call.requeued')?.data as { agentId: string } | undefined;
    if (!requeued) return;
    await this.lines.releaseNotResponding(uow, on.tenantId, requeued.agentId, on.callId, 'auto-answer-unconfirmed');
    await this.dispatcher.callWaits(uow, on.tenantId, state.skillQueueId!);
  }

  /** The ring-timeout job: the agent never answered its own outbound call; the call ends and the agent is not responding. */
  async ringTimedOut(uow: UnitOfWork, on: CallJob): Promise<void> {
    const { events, state } = await this.decide(uow, on, { type: 'RingTimeout', callId: on.callId, now: this.now() });
    if (events.length === 0) return;
    await this.cancelTimers(uow, on.callId);
    await this.lines.releaseNotResponding(uow, on.tenantId, state.agentId!, on.callId, 'ring-timeout');
  }

  /**
   * In the directory's transaction: an agent who signed out or lost a phone
   * (`phoneId`; null: every phone) cannot take the call its line holds if that
   * call rings on it and is not established yet: a customer's call goes back
   * to the head of its queue, an outbound call ends.
   */
  async withdrawFromAgent(uow: UnitOfWork, tenantId: string, agentId: string, phoneId: PhoneId | null): Promise<void> {
    const [held] = await uow.sql.rows<{ call_id: string; phone_id: number | null }>(
      'SELECT c.call_id, c.phone_id FROM agent_lines l JOIN calls_view c ON c.call_id = l.call_id WHERE l.agent_id = $1 AND c.tenant_id = $2',
      [agentId, tenantId],
    );
    if (!held || (phoneId !== null && held.phone_id !== phoneId)) return;
    const on = { tenantId, callId: held.call_id };
    const { events, state } = await this.decide(uow, on, { type: 'AgentUnavailable', callId: on.callId, now: this.now() });
    if (events.length === 0) return;
    await this.cancelTimers(uow, on.callId);
    await this.lines.release(uow, tenantId, agentId, on.callId, false);
    if (state.status === 'queued') await this.dispatcher.callWaits(uow, tenantId, state.skillQueueId!);
  }

  /**
   * In the directory's transaction: calls held for `dialed` go where it leads
   * now; and once more after the commit, for a call recorded meanwhile that
   * this transaction could not see.
   */
  async resolveHeldCalls(uow: UnitOfWork, tenantId: string, dialed: string): Promise<void> {
    await this.resolveHeldFor(uow, tenantId, dialed);
    uow.afterCommit(() =>
      this.store
        .transaction((again) => this.resolveHeldFor(again, tenantId, dialed))
        .catch((error: unknown) => this.logger.warn(`held calls to ${dialed} wait for their hold job: ${String(error)}`)),
    );
  }

  private async resolveHeldFor(uow: UnitOfWork, tenantId: string, dialed: string): Promise<void> {
    const held = await uow.sql.rows<{ call_id: string }>(
      `SELECT call_id FROM calls_view WHERE tenant_id = $1 AND to_number = $2 AND status = 'arrived' ORDER BY started_at, call_id`,
      [tenantId, dialed],
    );
    for (const { call_id } of held) await this.resolveHeld(uow, { tenantId, callId: call_id }, false);
  }

  /** The hold job: a number still unknown when the hold is over is disconnected. */
  holdExpired(uow: UnitOfWork, on: CallJob): Promise<void> {
    return this.resolveHeld(uow, on, true);
  }

  private async resolveHeld(uow: UnitOfWork, on: Commanding, final: boolean): Promise<void> {
    const [call] = await uow.sql.rows<{ to_number: string }>('SELECT to_number FROM calls_view WHERE call_id = $1 AND tenant_id = $2', [
      on.callId,
      on.tenantId,
    ]);
    if (!call) return;
    const now = this.now();
    const route = await destinationOf(uow.sql, on.tenantId, call.to_number);
    const { events, state } = await this.decide(uow, on, { type: 'ResolveDestination', callId: on.callId, route, final, now });
    if (events.length === 0) return;
    await heldCallJob.cancel(this.scheduler, uow, on.callId);
    await this.afterDestination(uow, on, state, now);
    if (state.status === 'queued') await this.dispatcher.callWaits(uow, on.tenantId, state.skillQueueId!);
  }

  /** A call held gets the end of its hold. */
  private async afterDestination(uow: UnitOfWork, on: Commanding, state: CallState, now: string): Promise<void> {
    if (state.status === 'arrived') await heldCallJob.schedule(this.scheduler, uow, on, unknownDestinationDeadline(now));
  }

  /** A call just ended: its timers go, and its agent's line (if any) is released. */
  private async ended(uow: UnitOfWork, on: Commanding, state: CallState): Promise<void> {
    await this.cancelTimers(uow, on.callId);
    if (state.agentId) await this.lines.release(uow, on.tenantId, state.agentId, on.callId, state.connectedAt !== null);
  }

  private async cancelTimers(uow: UnitOfWork, callId: string): Promise<void> {
    await this.scheduler.cancelAll(
      uow,
      [autoAnswerJob, answerGuardJob, ringTimeoutJob, heldCallJob].map((job) => job.id(callId)),
    );
  }

  /** A call's first command: its id was just drawn, so its stream is empty (appending at version 0 says so, or fails). */
  private async decideNew(uow: UnitOfWork, on: Commanding, command: CallCommand) {
    const events = callDecider.decide(command, callDecider.initialState);
    await uow.append(callStream(on.callId), 0, events, metadataFor(on.tenantId));
    return { state: events.reduce(callDecider.evolve, callDecider.initialState) };
  }

  /**
   * Decides on a call of the tenant: another tenant's call (the tenant its stream was started in) is not found, and
   * another agent's call is forbidden to an agent's command, before deciding.
   */
  private decide(uow: UnitOfWork, on: Commanding, command: CallCommand) {
    return uow.decide(callStream(on.callId), callDecider, command, metadataFor(on.tenantId), undefined, (call) => {
      if (call.tenantId !== on.tenantId) throw new NotFoundError('call', on.callId);
      if (on.agent) assertActsAsAgent(on.agent, call.state.agentId ?? '');
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * A command on an existing call: another tenant's call is not found (404), another agent's call forbidden (403),
   * before anything is decided. Each work decides first: `decide` checks the call's stream as it loads it (no
   * statement of its own).
   */
  private onCall(on: Commanding, work: (uow: UnitOfWork) => Promise<void>): Promise<CallView> {
    return this.run(on, work);
  }

  /**
   * The work in one transaction, then the call as it is once committed: read after the commit, so the commit (and
   * the relay's wake-up) does not wait for the answer's read. It shows the command's effects, or a later state.
   */
  private async run(on: Commanding, work: (uow: UnitOfWork) => Promise<void>): Promise<CallView> {
    await this.store.transaction(work);
    return this.query.get(on.tenantId, on.callId);
  }
}
