import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { NotFoundError, ValidationError } from '@softphone/errors';
import { pathParam } from '@softphone/platform';
import { SoftphoneLiveness, type HeartbeatAnswer } from '../liveness/softphone-liveness.js';
import type { SoftphoneCredentials } from '../registration/softphone-credentials.js';
import { AgentCommands, type AgentResult } from './agent.commands.js';
import type { PhoneId } from './agent.decider.js';
import { AgentsQuery, type AgentView } from './agents.query.js';
import { AgentChanges } from './agent-changes.js';
import {
  AgentQuery,
  AuthModeBody,
  BoardQuery,
  BoundPhoneBody,
  CreateAgentBody,
  RegisterBody,
  RegistrationResultBody,
  SkillQueuesBody,
} from './agent.schemas.js';

const TenantIdParam = pathParam('tenantId', Id);
const AgentIdParam = pathParam('agentId', Id);

function phoneIdOf(raw: string): PhoneId {
  if (raw !== '1' && raw !== '2') throw new ValidationError('phoneId', 'phoneId: 1, or 2 in pool mode');
  return Number(raw) as PhoneId;
}

@ApiTags('agents')
@ApiBearerAuth()
@Controller()
export class AgentsController {
  constructor(
    private readonly commands: AgentCommands,
    private readonly query: AgentsQuery,
    private readonly liveness: SoftphoneLiveness,
    private readonly changes: AgentChanges,
  ) {}

  @Roles('system-admin', 'tenant-admin')
  @Post('tenants/:tenantId/agents')
  async create(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: CreateAgentBody }) body: z.infer<typeof CreateAgentBody>,
  ): Promise<AgentView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.commands.create(tenantId, body);
  }

  /** The live state board: every agent of the tenant (or of one org unit), signed in, phones, availability, since when. */
  @Roles('system-admin', 'tenant-admin', 'ou-manager')
  @Get('tenants/:tenantId/agents')
  board(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Query({ schema: BoardQuery }) query: z.infer<typeof BoardQuery>,
  ) {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.board(tenantId, query.orgUnitId);
  }

  /**
   * One agent. With `afterVersion` (and `waitMs`): read-your-writes, the row once its `version` is greater, waiting up
   * to waitMs for the projection to commit it; then the current row (its `version` says it is not newer). Another
   * tenant's agent is 404 before any wait.
   */
  @Roles('tenant-admin', 'ou-manager', 'agent')
  @Get('agents/:agentId')
  async get(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Query({ schema: AgentQuery }) query: z.infer<typeof AgentQuery>,
  ): Promise<AgentView> {
    const read = async () => {
      const agent = await this.query.get(caller.tenantId, agentId);
      assertActsAsAgent(caller, agentId);
      return agent;
    };
    const { afterVersion, waitMs } = query;
    if (afterVersion === undefined || waitMs === 0) return read();
    // The wait is registered before the first read (one read less than reading, then registering and reading again).
    return this.changes.newerThan(agentId, afterVersion, waitMs, read);
  }

  @Roles('tenant-admin')
  @Put('agents/:agentId/skill-queues')
  async bindSkillQueues(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Body({ schema: SkillQueuesBody }) body: z.infer<typeof SkillQueuesBody>,
  ) {
    return this.commands.bindSkillQueues(caller.tenantId, agentId, body.skillQueueIds);
  }

  @Roles('tenant-admin')
  @Put('agents/:agentId/bound-phone')
  async bindPhone(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Body({ schema: BoundPhoneBody }) body: z.infer<typeof BoundPhoneBody>,
  ) {
    return (await this.commands.execute(caller.tenantId, agentId, () => ({ type: 'BindPhone', agentId, ...body }))).agent;
  }

  @Roles('tenant-admin')
  @Delete('agents/:agentId/bound-phone')
  async unbindPhone(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string) {
    return (await this.commands.execute(caller.tenantId, agentId, () => ({ type: 'UnbindPhone', agentId }))).agent;
  }

  @Roles('tenant-admin')
  @Put('agents/:agentId/auth-mode')
  async changeAuthMode(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Body({ schema: AuthModeBody }) body: z.infer<typeof AuthModeBody>,
  ) {
    return (await this.commands.execute(caller.tenantId, agentId, () => ({ type: 'ChangeAuthMode', agentId, authMode: body.authMode })))
      .agent;
  }

  /** Sign In; an eligible agent's softphone registers automatically (the answer carries its credentials). */
  @Roles('agent')
  @Post('agents/:agentId/sign-in')
  @HttpCode(200)
  async signIn(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<AgentResult> {
    await this.ownAgent(caller, agentId);
    return this.commands.signIn(caller.tenantId, agentId);
  }

  @Roles('agent')
  @Post('agents/:agentId/sign-out')
  @HttpCode(200)
  async signOut(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<AgentResult> {
    await this.ownAgent(caller, agentId);
    return this.commands.execute(caller.tenantId, agentId, () => ({ type: 'SignOut', agentId }));
  }

  /** Manual Register (every phone, or one failed pool phone). */
  @Roles('agent')
  @Post('agents/:agentId/registration')
  @HttpCode(200)
  async register(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Body({ schema: RegisterBody }) body: z.infer<typeof RegisterBody>,
  ): Promise<AgentResult> {
    await this.ownAgent(caller, agentId);
    return this.commands.register(caller.tenantId, agentId, body.phoneId);
  }

  /** The credentials each phone holds now, e.g. after a registration agent-svc started by itself (WebRTC enabled, new gateways). */
  @Roles('agent')
  @Get('agents/:agentId/credentials')
  async credentials(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<SoftphoneCredentials[]> {
    await this.ownAgent(caller, agentId);
    return this.commands.credentials(caller.tenantId, agentId);
  }

  /**
   * The agent's softphone is alive (send it every `heartbeatSeconds`); three missed periods make the agent unreachable.
   * One Redis round trip: an agent beats for itself only (any other id is not found, without a lookup), and is looked
   * up in its tenant (404) on the heartbeats that are transitions.
   */
  @Roles('agent')
  @Post('agents/:agentId/heartbeat')
  @HttpCode(200)
  heartbeat(@Caller() caller: Principal, @Param('agentId', AgentIdParam) agentId: string): Promise<HeartbeatAnswer> {
    if (caller.subject !== agentId) throw new NotFoundError('agent', agentId);
    return this.liveness.heartbeat(caller.tenantId, agentId);
  }

  /** The browser phone (or its gateway) reports a registration's result, or a later deregistration. */
  @Roles('agent', 'gateway')
  @Post('agents/:agentId/phones/:phoneId/registration-result')
  @HttpCode(200)
  async reportRegistration(
    @Caller() caller: Principal,
    @Param('agentId', AgentIdParam) agentId: string,
    @Param('phoneId') rawPhoneId: string,
    @Body({ schema: RegistrationResultBody }) body: z.infer<typeof RegistrationResultBody>,
  ): Promise<AgentView> {
    await this.ownAgent(caller, agentId);
    const phoneId = phoneIdOf(rawPhoneId);
    return (await this.commands.execute(caller.tenantId, agentId, () => ({ type: 'ReportRegistration', agentId, phoneId, ...body }))).agent;
  }

  /** Another tenant's agent is not found (404) before anything else; an agent acts only as itself (403). */
  private async ownAgent(caller: Principal, agentId: string): Promise<void> {
    await this.query.get(caller.tenantId, agentId);
    assertActsAsAgent(caller, agentId);
  }
}
