import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id, type AgentEvent } from '@softphone/contracts';
import { fold } from '@softphone/decider';
import { PostgresEventStore } from '@softphone/event-store';
import { pathParam } from '@softphone/platform';
import { agentDecider, agentStream, type AgentState } from '../agents/agent.decider.js';
import { HistoryQuery } from '../agents/agent.schemas.js';
import { AgentsQuery } from '../agents/agents.query.js';
import { availabilityOf, type Availability } from '../availability/availability.policy.js';

export interface AgentTimelineEntry {
  at: string;
  event: string;
  data: unknown;
  /** The agent's state right after the event. */
  state: Pick<
    AgentState,
    'authMode' | 'boundPhone' | 'skillQueueIds' | 'signedIn' | 'phones' | 'phoneFailures' | 'wrapUp' | 'notResponding'
  > & {
    currentCallId: string | null;
    softphoneReachable: boolean;
    availability: Availability;
  };
}

const stateView = (s: AgentState): AgentTimelineEntry['state'] => ({
  authMode: s.authMode,
  boundPhone: s.boundPhone,
  skillQueueIds: s.skillQueueIds,
  signedIn: s.signedIn,
  phones: s.phones,
  phoneFailures: s.phoneFailures,
  currentCallId: s.call?.callId ?? null,
  wrapUp: s.wrapUp,
  notResponding: s.notResponding,
  softphoneReachable: s.softphoneReachable,
  availability: availabilityOf(s),
});

/** An agent's full timeline from its events, or its state as of any past instant (?at=). */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents/:agentId/history')
export class AgentHistoryController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly agents: AgentsQuery,
  ) {}

  @Roles('tenant-admin', 'ou-manager', 'agent')
  @Get()
  async history(
    @Caller() caller: Principal,
    @Param('agentId', pathParam('agentId', Id)) agentId: string,
    @Query({ schema: HistoryQuery }) query: z.infer<typeof HistoryQuery>,
  ) {
    await this.agents.get(caller.tenantId, agentId);
    assertActsAsAgent(caller, agentId);
    const recorded = await this.store.readStream(agentStream(agentId));
    if (query.at) {
      const until = Date.parse(query.at);
      const before = recorded.filter((e) => Date.parse(e.occurredAt) <= until);
      return { agentId, at: query.at, state: stateView(fold(agentDecider, before as unknown as AgentEvent[])) };
    }
    let state = agentDecider.initialState;
    const timeline: AgentTimelineEntry[] = recorded.map((e) => {
      state = agentDecider.evolve(state, e as unknown as AgentEvent);
      return { at: e.occurredAt, event: e.type, data: e.data, state: stateView(state) };
    });
    return { agentId, timeline };
  }
}
