import { Inject, Injectable } from '@nestjs/common';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler } from '@softphone/scheduler';
import { callHandlingOf } from '../directory/destinations.query.js';
import { QueueDispatcher } from '../routing/queue-dispatcher.js';
import { agentLineDecider, agentLineStream, isLineFree, type AgentLineCommand, type AgentLineState } from './agent-line.decider.js';
import { wrapUpJob, wrapUpSubject, type WrapUp } from './wrap-up.job.js';
import { AGENT_LINE_SNAPSHOTS } from './agent-line.snapshots.js';

export interface AgentLineView {
  agentId: string;
  /** `free`, `on-call`, `wrap-up` or `not-responding`. */
  status: 'free' | 'on-call' | 'wrap-up' | 'not-responding';
  callId: string | null;
  wrapUpUntil: string | null;
  notRespondingReason: string | null;
}

const viewOf = (agentId: string, state: AgentLineState): AgentLineView => ({
  agentId,
  status: state.callId ? 'on-call' : state.notResponding ? 'not-responding' : state.wrapUp ? 'wrap-up' : 'free',
  callId: state.callId,
  wrapUpUntil: state.wrapUp?.until ?? null,
  notRespondingReason: state.notResponding?.reason ?? null,
});

/**
 * The agent line's commands: each decided by the agent-line decider, with the
 * wrap-up timer it starts or stops, and a routing of the agent once it is free.
 */
@Injectable()
export class AgentLineCommands {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly dispatcher: QueueDispatcher,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The agent (or an admin) makes it available again: wrap-up ends early, or not-responding ends. */
  makeAvailable(tenantId: string, agentId: string, by: 'agent' | 'admin'): Promise<AgentLineView> {
    return this.store.transaction(async (uow) => {
      await this.assertAgentOf(uow, tenantId, agentId);
      const state = await this.decide(uow, tenantId, { type: 'MakeAvailable', agentId, by });
      return viewOf(agentId, state);
    });
  }

  /** The agent's line as it stands. */
  async get(tenantId: string, agentId: string): Promise<AgentLineView> {
    return this.store.transaction(async (uow) => {
      await this.assertAgentOf(uow, tenantId, agentId);
      return viewOf(agentId, (await uow.load(agentLineStream(agentId), agentLineDecider, AGENT_LINE_SNAPSHOTS)).state);
    });
  }

  /** An outbound call takes the agent's line (its own call ends a wrap-up early). */
  async reserveForOutbound(uow: UnitOfWork, tenantId: string, agentId: string, callId: string): Promise<void> {
    await this.decide(uow, tenantId, { type: 'Reserve', agentId, callId, outbound: true });
  }

  /** The call no longer needs the agent: wrap-up follows a call it talked on, else the agent may take the next call. */
  async release(uow: UnitOfWork, tenantId: string, agentId: string, callId: string, talked: boolean): Promise<void> {
    const { wrapUpSeconds } = await callHandlingOf(uow.sql, tenantId);
    const now = this.clock.now().toISOString();
    await this.decide(uow, tenantId, { type: 'Release', agentId, callId, talked, wrapUpSeconds, now });
  }

  async releaseNotResponding(
    uow: UnitOfWork,
    tenantId: string,
    agentId: string,
    callId: string,
    reason: 'auto-answer-unconfirmed' | 'ring-timeout',
  ): Promise<void> {
    await this.decide(uow, tenantId, { type: 'ReleaseNotResponding', agentId, callId, reason });
  }

  /** The wrap-up job: its time is up. */
  async endWrapUp(uow: UnitOfWork, job: WrapUp): Promise<void> {
    await this.decide(uow, job.tenantId, { type: 'EndWrapUp', agentId: job.agentId, callId: job.callId });
  }

  /** Decides on the line; starts or stops the wrap-up timer it changed, and routes the agent once free. */
  private async decide(uow: UnitOfWork, tenantId: string, command: AgentLineCommand): Promise<AgentLineState> {
    const { agentId } = command;
    const { events, state } = await uow.decide(
      agentLineStream(agentId),
      agentLineDecider,
      command,
      metadataFor(tenantId),
      AGENT_LINE_SNAPSHOTS,
    );
    for (const event of events) {
      if (event.type === 'call.agent-wrap-up-started') {
        const { callId, until } = event.data as { callId: string; until: string };
        await wrapUpJob.schedule(this.scheduler, uow, { tenantId, agentId, callId }, until);
      } else if (event.type === 'call.agent-wrap-up-ended') {
        await wrapUpJob.cancel(this.scheduler, uow, wrapUpSubject(agentId, (event.data as { callId: string }).callId));
      }
    }
    if (events.length > 0 && isLineFree(state)) await this.dispatcher.agentFree(uow, tenantId, agentId);
    return state;
  }

  private async assertAgentOf(uow: UnitOfWork, tenantId: string, agentId: string): Promise<void> {
    const [agent] = await uow.sql.rows('SELECT 1 FROM agents WHERE agent_id = $1 AND tenant_id = $2', [agentId, tenantId]);
    if (!agent) throw new NotFoundError('agent', agentId);
  }
}
