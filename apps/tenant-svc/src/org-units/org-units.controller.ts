import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { OrgUnitCommands } from './org-unit.commands.js';
import { CreateOrgUnitBody, ManagerBody } from './org-units.schemas.js';
import { OrgUnitsQuery, type OrgUnitView } from './org-units.query.js';

const TenantIdParam = pathParam('tenantId', Id);
const OrgUnitIdParam = pathParam('orgUnitId', Id);

/** A tenant's org units: a tree, each unit with a manager who receives its internal messages. */
@ApiTags('org-units')
@ApiBearerAuth()
@Controller('tenants/:tenantId/org-units')
export class OrgUnitsController {
  constructor(
    private readonly commands: OrgUnitCommands,
    private readonly query: OrgUnitsQuery,
  ) {}

  @Roles('system-admin', 'tenant-admin')
  @Post()
  async create(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: CreateOrgUnitBody }) body: z.infer<typeof CreateOrgUnitBody>,
  ): Promise<OrgUnitView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    const orgUnitId = randomUUID();
    await this.commands.create(tenantId, orgUnitId, body.name, body.parentOrgUnitId);
    return this.query.get(tenantId, orgUnitId);
  }

  /** Assigns the unit's manager, replacing the previous one. */
  @Roles('system-admin', 'tenant-admin')
  @Put(':orgUnitId/manager')
  async assignManager(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Param('orgUnitId', OrgUnitIdParam) orgUnitId: string,
    @Body({ schema: ManagerBody }) manager: z.infer<typeof ManagerBody>,
  ): Promise<OrgUnitView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    await this.commands.assignManager(tenantId, orgUnitId, manager);
    return this.query.get(tenantId, orgUnitId);
  }

  /** OU managers may read the tree of their own tenant. */
  @Roles('system-admin', 'tenant-admin', 'ou-manager')
  @Get()
  list(@Caller() caller: Principal, @Param('tenantId', TenantIdParam) tenantId: string): Promise<OrgUnitView[]> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.list(tenantId);
  }

  @Roles('system-admin', 'tenant-admin', 'ou-manager')
  @Get(':orgUnitId')
  get(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Param('orgUnitId', OrgUnitIdParam) orgUnitId: string,
  ): Promise<OrgUnitView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.get(tenantId, orgUnitId);
  }
}
