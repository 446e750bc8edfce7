import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { HistoryQuery } from './call-quality.schemas.js';
import { CallQualityQuery, type CallRef, type LiveQuality, type QualityHistory } from './call-quality.query.js';

const CallIdParam = { schema: Id };

/** A call of the caller's tenant; an agent sees only its own calls. */
@ApiTags('call quality')
@ApiBearerAuth()
@Roles('tenant-admin', 'ou-manager', 'agent')
@Controller('calls/:callId/quality')
export class CallQualityController {
  constructor(private readonly query: CallQualityQuery) {}

  /** The latest measured second and the published level. */
  @Get()
  async live(@Caller() caller: Principal, @Param('callId', CallIdParam) callId: string): Promise<LiveQuality> {
    return this.query.live(await this.visibleCall(caller, callId), caller.tenantId);
  }

  /** The measured seconds in a window (paged) and the summary of the whole call. */
  @Get('history')
  async history(
    @Caller() caller: Principal,
    @Param('callId', CallIdParam) callId: string,
    @Query({ schema: HistoryQuery }) window: z.infer<typeof HistoryQuery>,
  ): Promise<QualityHistory> {
    return this.query.history(await this.visibleCall(caller, callId), caller.tenantId, window);
  }

  private async visibleCall(caller: Principal, callId: string): Promise<CallRef> {
    const call = await this.query.call(caller.tenantId, callId);
    assertActsAsAgent(caller, call.agentId ?? '');
    return call;
  }
}
