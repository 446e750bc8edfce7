import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { TenantCommands } from './tenant.commands.js';
import type { TenantCommand } from './tenant.decider.js';
import {
  CallHandlingBody,
  CreateTenantBody,
  EnableWebRtcBody,
  GatewaysBody,
  ParametersBody,
  PoolModeBody,
  SuspendBody,
} from './tenant.schemas.js';
import { TenantsQuery, type TenantView } from './tenants.query.js';

const TenantIdParam = pathParam('tenantId', Id);

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly commands: TenantCommands,
    private readonly query: TenantsQuery,
  ) {}

  @Roles('system-admin')
  @Post()
  create(@Body({ schema: CreateTenantBody }) body: z.infer<typeof CreateTenantBody>): Promise<TenantView> {
    return this.execute({ type: 'CreateTenant', tenantId: randomUUID(), ...body });
  }

  @Roles('system-admin')
  @Get()
  list(): Promise<TenantView[]> {
    return this.query.list();
  }

  @Roles('system-admin', 'tenant-admin')
  @Get(':tenantId')
  get(@Caller() caller: Principal, @Param('tenantId', TenantIdParam) tenantId: string): Promise<TenantView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.get(tenantId);
  }

  @Roles('system-admin')
  @Post(':tenantId/suspension')
  @HttpCode(200)
  suspend(@Param('tenantId', TenantIdParam) tenantId: string, @Body({ schema: SuspendBody }) body: z.infer<typeof SuspendBody>) {
    return this.execute({ type: 'SuspendTenant', tenantId, reason: body.reason });
  }

  @Roles('system-admin')
  @Delete(':tenantId/suspension')
  resume(@Param('tenantId', TenantIdParam) tenantId: string) {
    return this.execute({ type: 'ResumeTenant', tenantId });
  }

  @Roles('system-admin')
  @Put(':tenantId/pool-mode')
  changePoolMode(@Param('tenantId', TenantIdParam) tenantId: string, @Body({ schema: PoolModeBody }) body: z.infer<typeof PoolModeBody>) {
    return this.execute({ type: 'ChangePoolMode', tenantId, poolMode: body.poolMode });
  }

  /** Only a system admin enables WebRTC; the tenant must be normal and WebRTC not yet enabled. */
  @Roles('system-admin')
  @Post(':tenantId/webrtc')
  @HttpCode(200)
  enableWebRtc(
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: EnableWebRtcBody }) body: z.infer<typeof EnableWebRtcBody>,
  ) {
    return this.execute({ type: 'EnableWebRtc', tenantId, gateways: body.gateways });
  }

  @Roles('system-admin')
  @Delete(':tenantId/webrtc')
  disableWebRtc(@Param('tenantId', TenantIdParam) tenantId: string) {
    return this.execute({ type: 'DisableWebRtc', tenantId });
  }

  @Roles('system-admin')
  @Put(':tenantId/webrtc/gateways')
  changeGateways(@Param('tenantId', TenantIdParam) tenantId: string, @Body({ schema: GatewaysBody }) body: z.infer<typeof GatewaysBody>) {
    return this.execute({ type: 'ChangeGateways', tenantId, gateways: body.gateways });
  }

  @Roles('system-admin', 'tenant-admin')
  @Put(':tenantId/parameters')
  changeParameters(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: ParametersBody }) parameters: z.infer<typeof ParametersBody>,
  ) {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.execute({ type: 'ChangeParameters', tenantId, parameters });
  }

  /** How agents take calls: the auto-answer guard, the ring timeout of outbound calls and wrap-up (always the complete set). */
  @Roles('system-admin', 'tenant-admin')
  @Put(':tenantId/call-handling')
  changeCallHandling(
    @Caller() caller: Principal,
    @Param('tenantId', TenantIdParam) tenantId: string,
    @Body({ schema: CallHandlingBody }) callHandling: z.infer<typeof CallHandlingBody>,
  ) {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.execute({ type: 'ChangeCallHandling', tenantId, callHandling });
  }

  private execute(command: TenantCommand): Promise<TenantView> {
    return this.commands.execute(command);
  }
}
