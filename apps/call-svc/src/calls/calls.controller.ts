import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { CallCommands } from './call.commands.js';
import { CallsListQuery, InboundCallBody, MediaChangeBody, PlaceCallBody } from './call.schemas.js';
import { CallsQuery, type CallView } from './calls.query.js';

const CallIdParam = pathParam('callId', Id);

@ApiTags('calls')
@ApiBearerAuth()
@Controller()
export class CallsController {
  constructor(
    private readonly commands: CallCommands,
    private readonly query: CallsQuery,
  ) {}

  /** An agent places a voice or video call: its phone rings first. */
  @Roles('agent')
  @Post('calls')
  place(@Caller() caller: Principal, @Body({ schema: PlaceCallBody }) body: z.infer<typeof PlaceCallBody>): Promise<CallView> {
    return this.commands.place(caller.tenantId, caller.subject, body.to, body.media);
  }

  /** The gateway reports a call reaching the tenant. */
  @Roles('gateway')
  @Post('calls/inbound')
  receive(@Caller() caller: Principal, @Body({ schema: InboundCallBody }) body: z.infer<typeof InboundCallBody>): Promise<CallView> {
    return this.commands.receive(caller.tenantId, body.caller, body.dialed, body.media);
  }

  @Roles('tenant-admin', 'ou-manager', 'agent', 'gateway')
  @Get('calls/:callId')
  get(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.agentsOwn(caller, callId);
  }

  /** The agent answers its ringing phone; the customer's phone rings. */
  @Roles('agent')
  @Post('calls/:callId/answer')
  @HttpCode(200)
  answer(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.commands.answer({ tenantId: caller.tenantId, callId, agent: caller });
  }

  /** The agent's softphone confirms that media flows on its auto-answered call (the auto-answer guard). */
  @Roles('agent')
  @Post('calls/:callId/media-confirmed')
  @HttpCode(200)
  confirmMedia(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.commands.confirmMedia({ tenantId: caller.tenantId, callId, agent: caller });
  }

  @Roles('gateway')
  @Post('calls/:callId/customer-answered')
  @HttpCode(200)
  customerAnswered(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.commands.customerAnswered({ tenantId: caller.tenantId, callId });
  }

  @Roles('agent')
  @Post('calls/:callId/media')
  @HttpCode(200)
  changeMedia(
    @Caller() caller: Principal,
    @Param('callId', CallIdParam) callId: string,
    @Body({ schema: MediaChangeBody }) body: z.infer<typeof MediaChangeBody>,
  ) {
    return this.commands.changeMedia({ tenantId: caller.tenantId, callId, agent: caller }, body.change, body.screenShare);
  }

  @Roles('agent')
  @Post('calls/:callId/hang-up')
  @HttpCode(200)
  hangUp(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.commands.hangUp({ tenantId: caller.tenantId, callId, agent: caller }, 'agent');
  }

  /** The gateway reports that the customer hung up (while waiting: the call is abandoned). */
  @Roles('gateway')
  @Post('calls/:callId/customer-hung-up')
  @HttpCode(200)
  customerHungUp(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<CallView> {
    return this.commands.hangUp({ tenantId: caller.tenantId, callId }, 'customer');
  }

  @Roles('system-admin', 'tenant-admin', 'ou-manager')
  @Get('tenants/:tenantId/calls')
  list(
    @Caller() caller: Principal,
    @Param('tenantId', pathParam('tenantId', Id)) tenantId: string,
    @Query({ schema: CallsListQuery }) query: z.infer<typeof CallsListQuery>,
  ) {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.list(tenantId, query);
  }

  /** The call, if it exists in the caller's tenant (404 otherwise) and, for an agent, is its own (403 otherwise: a waiting call is no agent's). */
  async agentsOwn(caller: Principal, callId: string): Promise<CallView> {
    const call = await this.query.get(caller.tenantId, callId);
    assertActsAsAgent(caller, call.agentId ?? '');
    return call;
  }
}
