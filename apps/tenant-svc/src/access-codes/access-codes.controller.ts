import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertTenantAccess, Caller, Roles, type Principal } from '@softphone/auth';
import { AccessCode, Id } from '@softphone/contracts';
import { pathParam } from '@softphone/platform';
import { AccessCodesQuery, type AccessCodeView } from './access-codes.query.js';

@ApiTags('access-codes')
@ApiBearerAuth()
@Roles('system-admin', 'tenant-admin')
@Controller('tenants/:tenantId/access-codes')
export class AccessCodesController {
  constructor(private readonly query: AccessCodesQuery) {}

  /** What a caller dialling this access code reaches. */
  @Get(':accessCode')
  resolve(
    @Caller() caller: Principal,
    @Param('tenantId', pathParam('tenantId', Id)) tenantId: string,
    @Param('accessCode', pathParam('accessCode', AccessCode)) accessCode: string,
  ): Promise<AccessCodeView> {
    assertTenantAccess(caller, tenantId, 'tenant', tenantId);
    return this.query.resolve(tenantId, accessCode);
  }
}
