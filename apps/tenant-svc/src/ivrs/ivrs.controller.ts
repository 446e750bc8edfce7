import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { IvrCommands } from './ivr.commands.js';
import { CreateIvrBody } from './ivrs.schemas.js';
import { IvrsQuery, type IvrView } from './ivrs.query.js';

const TenantIdParam = pathParam('tenantId', Id);
const IvrIdParam = pathParam('ivrId', Id);

/** IVR access codes: callers hear an announcement, then are transferred to a voice-related skill queue. */
@ApiTags('ivrs')
@ApiBearerAuth()
@Roles('system-admin', 'tenant-admin')
@Controller('tenants/:tenantId/ivrs')
export class IvrsController {
  constructor(
    private readonly commands: IvrCommands,
    private readonly query: IvrsQuery,
  ) {}

  @Post()
  async create(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: CreateIvrBody }) body: z.infer<typeof CreateIvrBody>,
  ): Promise<IvrView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    const ivrId = randomUUID();
    await this.commands.create(tenantId, { ivrId, ...body });
    return this.query.get(tenantId, ivrId);
  }

  @Get()
  list(@Caller() caller: Principal, @Param('tenantId', TenantIdParam) tenantId: string): Promise<IvrView[]> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.list(tenantId);
  }

  @Get(':ivrId')
  get(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Param('ivrId', IvrIdParam) ivrId: string,
  ): Promise<IvrView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.get(tenantId, ivrId);
  }
}
