import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { CLOCK, type Clock } from '@softphone/platform';
import { DashboardParams, dashboardWindow } from './dashboard.schemas.js';
import { DashboardQuery, type Dashboard } from './dashboard.query.js';

const TenantIdParam = { schema: Id };

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('tenants/:tenantId/quality/dashboard')
export class DashboardController {
  constructor(
    private readonly query: DashboardQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Calls by worst level, share of poor seconds, most affected agents and org units, over a time window. */
  @Roles('system-admin', 'tenant-admin', 'ou-manager')
  @Get()
  dashboard(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Query({ schema: DashboardParams }) params: z.infer<typeof DashboardParams>,
  ): Promise<Dashboard> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    const { from, to } = dashboardWindow(params, this.clock.now());
    return this.query.dashboard({ tenantId, from, to, orgUnitId: params.orgUnitId, agentId: params.agentId, top: params.top });
  }
}
