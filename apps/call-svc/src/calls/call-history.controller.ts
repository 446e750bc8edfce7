import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id, type CallEvent } from '@softphone/contracts';
import { fold } from '@softphone/decider';
import { PostgresEventStore } from '@softphone/event-store';
import { pathParam } from '@softphone/platform';
import { HistoryQuery } from './call.schemas.js';
import { callDecider, callStream, type CallState } from './call.decider.js';
import { CallsQuery } from './calls.query.js';

export interface CallTimelineEntry {
  at: string;
  event: string;
  data: unknown;
  /** The call's state right after the event. */
  state: CallState;
}

/** A call's full timeline from its events, or its state as of any past instant (?at=). */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls/:callId/history')
export class CallHistoryController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly calls: CallsQuery,
  ) {}

  @Roles('tenant-admin', 'ou-manager', 'agent', 'gateway')
  @Get()
  async history(
    @Caller() caller: Principal,
    @Param('callId', pathParam('callId', Id)) callId: string,
    @Query({ schema: HistoryQuery }) query: z.infer<typeof HistoryQuery>,
  ) {
    const call = await this.calls.get(caller.tenantId, callId);
    assertActsAsAgent(caller, call.agentId ?? '');
    const recorded = await this.store.readStream(callStream(callId));
    if (query.at) {
      const until = Date.parse(query.at);
      const before = recorded.filter((e) => Date.parse(e.occurredAt) <= until);
      return { callId, at: query.at, state: fold(callDecider, before as unknown as CallEvent[]) };
    }
    let state = callDecider.initialState;
    const timeline: CallTimelineEntry[] = recorded.map((e) => {
      state = callDecider.evolve(state, e as unknown as CallEvent);
      return { at: e.occurredAt, event: e.type, data: e.data, state };
    });
    return { callId, timeline };
  }
}
