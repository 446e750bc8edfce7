import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { SkillQueueCommands } from './skill-queue.commands.js';
import { CreateSkillQueueBody } from './skill-queues.schemas.js';
import { SkillQueuesQuery, type SkillQueueView } from './skill-queues.query.js';

const TenantIdParam = pathParam('tenantId', Id);
const SkillQueueIdParam = pathParam('skillQueueId', Id);

@ApiTags('skill-queues')
@ApiBearerAuth()
@Roles('system-admin', 'tenant-admin')
@Controller('tenants/:tenantId/skill-queues')
export class SkillQueuesController {
  constructor(
    private readonly commands: SkillQueueCommands,
    private readonly query: SkillQueuesQuery,
  ) {}

  @Post()
  async create(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: CreateSkillQueueBody }) body: z.infer<typeof CreateSkillQueueBody>,
  ): Promise<SkillQueueView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    const skillQueueId = randomUUID();
    await this.commands.create(tenantId, { skillQueueId, ...body });
    return this.query.get(tenantId, skillQueueId);
  }

  @Get()
  list(@Caller() caller: Principal, @Param('tenantId', TenantIdParam) tenantId: string): Promise<SkillQueueView[]> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.list(tenantId);
  }

  @Get(':skillQueueId')
  get(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Param('skillQueueId', SkillQueueIdParam) skillQueueId: string,
  ): Promise<SkillQueueView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.get(tenantId, skillQueueId);
  }
}
