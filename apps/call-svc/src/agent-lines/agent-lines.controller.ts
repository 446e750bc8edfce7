import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { AgentLineCommands, type AgentLineView } from './agent-line.commands.js';

const AgentIdParam = pathParam('agentId', Id);

/** An agent's line as call-svc routes by it: free, on a call, in wrap-up or not responding. */
@ApiTags('agent lines')
@ApiBearerAuth()
@Controller('agents/:agentId/line')
export class AgentLinesController {
  constructor(private readonly lines: AgentLineCommands) {}

  @Roles('tenant-admin', 'ou-manager', 'agent')
  @Get()
  get(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<AgentLineView> {
    assertActsAsAgent(caller, agentId);
    return this.lines.get(caller.tenantId, agentId);
  }

  /** The agent (or a tenant admin) makes it available again: ends wrap-up early, or not-responding. */
  @Roles('tenant-admin', 'agent')
  @Post('availability')
  @HttpCode(200)
  makeAvailable(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<AgentLineView> {
    assertActsAsAgent(caller, agentId);
    return this.lines.makeAvailable(caller.tenantId, agentId, caller.role === 'agent' ? 'agent' : 'admin');
  }
}
