import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CallMedia, ScreenShare } from '@softphone/contracts';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { DomainError, NotFoundError } from '@softphone/errors';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { agentLineDecider, agentLineStream } from '../agent-lines/agent-line.decider.js';
import { AGENT_LINE_SNAPSHOTS } from '../agent-lines/agent-line.snapshots.js';
import { autoAnswerJobId } from '../auto-answer/auto-answer.job.js';
import { resolveDestination } from '../directory/destinations.js';
import { routeWaitingJobId, scheduleRouteAgain } from '../routing/route-again.js';
import { pickPhone, Router } from '../routing/router.js';
import { callDecider, callStream, type CallCommand, type MediaChange, type PhoneId } from './call.decider.js';
import { CallsQuery, type CallView } from './calls.query.js';

type Commanding = { tenantId: string; callId: string };

/** Runs call commands, each in one transaction with its effects on agent lines, routing and the auto-answer timer. */
@Injectable()
export class CallCommands {
  private readonly logger = new Logger('CallCommands');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: CallsQuery,
    private readonly router: Router,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Outbound: only a signed-in agent with a registered softphone and a free line; pool mode rings either phone. */
  place(tenantId: string, agentId: string, to: string, media: CallMedia): Promise<CallView> {
    const callId = randomUUID();
    return this.run({ tenantId, callId }, async (uow) => {
      const [agent] = await uow.sql.rows<{ signed_in: boolean; phones: Record<string, string>; softphone_number: string }>(
        'SELECT signed_in, phones, softphone_number FROM agents WHERE agent_id = $1 AND tenant_id = $2',
        [agentId, tenantId],
      );
      if (!agent) throw new NotFoundError('agent', agentId);
      if (!agent.signed_in) throw new DomainError('AGENT_NOT_SIGNED_IN', 'sign in before making a call');
      const statuses = Object.values(agent.phones);
      if (statuses.length === 0 || statuses.some((s) => s !== 'registered')) {
        throw new DomainError('SOFTPHONE_NOT_REGISTERED', 'the WebRTC phone makes calls only when registered');
      }
      await uow.decide(
        agentLineStream(agentId),
        agentLineDecider,
        { type: 'Reserve', agentId, callId },
        metadataFor(tenantId),
        AGENT_LINE_SNAPSHOTS,
      );
      const now = this.now();
      await this.decide(
        uow,
        { tenantId, callId },
        { type: 'PlaceCall', callId, agentId, phoneId: pickPhone(agent.phones), from: agent.softphone_number, to, media, now },
      );
    });
  }

  answer(on: Commanding): Promise<CallView> {
    return this.onCall(on, async (uow) => void (await this.decide(uow, on, { type: 'AgentAnswer', callId: on.callId })));
  }

  customerAnswered(on: Commanding): Promise<CallView> {
    return this.onCall(
      on,
      async (uow) => void (await this.decide(uow, on, { type: 'CustomerAnswer', callId: on.callId, now: this.now() })),
    );
  }

  /**
   * Inbound: to a queue's or an IVR's access code (then routed), or disconnected
   * with the reason. The call is recorded first, then routed in a transaction
   * of its own: routing that keeps losing races to other routings leaves the
   * call waiting in its queue, never lost; a durable job written with the call
   * routes it again if this process dies in between.
   */
  async receive(tenantId: string, caller: string, dialed: string, media: CallMedia): Promise<CallView> {
    const on = { tenantId, callId: randomUUID() };
    let queue: string | null = null;
    await this.store.transaction(async (uow) => {
      const now = this.clock.now();
      const route = await resolveDestination(uow.sql, tenantId, dialed, now);
      await this.decide(uow, on, { type: 'ReceiveCall', callId: on.callId, caller, dialed, media, route, now: now.toISOString() });
      queue = route.kind === 'queue' || route.kind === 'ivr' ? route.skillQueueId : null;
      if (queue) await scheduleRouteAgain(this.scheduler, uow, { tenantId, callId: on.callId, skillQueueId: queue }, now);
    });
    const skillQueueId = queue;
    if (skillQueueId) {
      await this.store
        .transaction((uow) => this.router.routeCall(uow, tenantId, on.callId, skillQueueId))
        .catch((error: unknown) => this.logger.warn(`call ${on.callId} waits: routing failed (${String(error)})`));
    }
    return this.query.get(tenantId, on.callId);
  }

  changeMedia(on: Commanding, change: MediaChange, screenShare: ScreenShare | null): Promise<CallView> {
    return this.onCall(
      on,
      async (uow) => void (await this.decide(uow, on, { type: 'ChangeMedia', callId: on.callId, change, screenShare })),
    );
  }

  /** Hang-up by either side: the agent's line is freed and the agent takes the next waiting call, if any. */
  hangUp(on: Commanding, by: 'agent' | 'customer'): Promise<CallView> {
    return this.onCall(on, async (uow) => {
      const { state } = await this.decide(uow, on, { type: 'HangUp', callId: on.callId, by, now: this.now() });
      await this.afterEnd(uow, on, state.agentId);
      if (state.agentId) await this.router.routeAgent(uow, on.tenantId, state.agentId);
    });
  }

  /**
   * In the directory's transaction: an agent who signed out or lost a phone
   * (`phoneId`; null: every phone) cannot answer the call its line holds, if
   * that call rings on it and is not talking yet: the call ends
   * (`agent-unavailable`), its auto-answer is cancelled and the line freed.
   */
  async withdrawFromAgent(uow: UnitOfWork, tenantId: string, agentId: string, phoneId: PhoneId | null): Promise<void> {
    const [held] = await uow.sql.rows<{ call_id: string; phone_id: number | null }>(
      'SELECT c.call_id, c.phone_id FROM agent_lines l JOIN calls_view c ON c.call_id = l.call_id WHERE l.agent_id = $1 AND c.tenant_id = $2',
      [agentId, tenantId],
    );
    if (!held || (phoneId !== null && held.phone_id !== phoneId)) return;
    const on = { tenantId, callId: held.call_id };
    const { events } = await this.decide(uow, on, { type: 'AgentUnavailable', callId: on.callId, now: this.now() });
    if (events.length > 0) await this.afterEnd(uow, on, agentId);
  }

  /** A call just ended: its timers go, and its agent's line (if any) is free. */
  private async afterEnd(uow: UnitOfWork, on: Commanding, agentId: string | null): Promise<void> {
    await this.scheduler.cancel(uow, autoAnswerJobId(on.callId));
    await this.scheduler.cancel(uow, routeWaitingJobId(on.callId));
    if (agentId)
      await uow.decide(
        agentLineStream(agentId),
        agentLineDecider,
        { type: 'Release', agentId, callId: on.callId },
        metadataFor(on.tenantId),
        AGENT_LINE_SNAPSHOTS,
      );
  }

  private decide(uow: UnitOfWork, on: Commanding, command: CallCommand) {
    return uow.decide(callStream(on.callId), callDecider, command, metadataFor(on.tenantId));
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** A command on an existing call: another tenant's call is not found (404) before anything is decided. */
  private onCall(on: Commanding, work: (uow: UnitOfWork) => Promise<void>): Promise<CallView> {
    return this.run(on, async (uow) => {
      await this.query.get(on.tenantId, on.callId, uow.sql);
      await work(uow);
    });
  }

  private run(on: Commanding, work: (uow: UnitOfWork) => Promise<void>): Promise<CallView> {
    return this.store.transaction(async (uow) => {
      await work(uow);
      return this.query.get(on.tenantId, on.callId, uow.sql);
    });
  }
}
