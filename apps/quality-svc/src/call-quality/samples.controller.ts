import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id, type QualityMeasurements } from '@softphone/contracts';
import { DomainError, ValidationError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import { CLOCK, fieldOf, type Clock } from '@softphone/platform';
import { admitCalls, type RejectedCall } from './admit-calls.js';
import { BulkSamplesBody, SamplesBody } from './call-quality.schemas.js';
import { CallMeters, type CallIngested } from './call-meters.js';
import { CallQualityQuery } from './call-quality.query.js';
import { clockSkewIssue } from './measurement-time.js';

const CallIdParam = { schema: Id };

/**
 * Gateways report samples of their tenant's calls (the token's tenant); an
 * agent's browser reports the getStats() of its own current call. A retried
 * request is harmless: samples already applied are duplicates.
 */
@ApiTags('samples')
@ApiBearerAuth()
@Roles('gateway')
@Controller()
export class SamplesController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly meters: CallMeters,
    private readonly query: CallQualityQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('calls/:callId/quality/samples')
  @Roles('gateway', 'agent')
  @HttpCode(200)
  async ingest(
    @Caller() caller: Principal,
    @Param('callId', CallIdParam) callId: string,
    @Body({ schema: SamplesBody }) body: QualityMeasurements,
  ): Promise<Omit<CallIngested, 'tenantId'>> {
    const now = this.clock.now();
    if (caller.role === 'agent') await this.assertCurrentCallOf(caller, callId);
    const issue = clockSkewIssue(body, now.getTime());
    if (issue) {
      const field = fieldOf(issue);
      throw new ValidationError(field, `${field}: ${issue.message}`);
    }
    const batch = { tenantId: caller.tenantId, calls: [{ callId, ...body }] };
    const [result] = await this.store.transaction((uow) => this.meters.ingest(uow, [batch]));
    const { tenantId: _tenantId, ...outcome } = result;
    return outcome;
  }

  /**
   * Several calls' samples in one request (one transaction); a call that fails
   * its checks is refused alone, with its field (400 when no call passes).
   */
  @Post('quality/samples')
  @HttpCode(200)
  async ingestMany(
    @Caller() caller: Principal,
    @Body({ schema: BulkSamplesBody }) body: z.infer<typeof BulkSamplesBody>,
  ): Promise<{ calls: Array<Omit<CallIngested, 'tenantId'>>; rejected: RejectedCall[] }> {
    const now = this.clock.now();
    const admitted = admitCalls(body.calls, now.getTime());
    if (admitted.calls.length === 0) {
      const [first] = admitted.rejected;
      throw new ValidationError(first.field, `${first.field}: ${first.message}`, admitted.rejected);
    }
    const results = await this.store.transaction((uow) => this.meters.ingest(uow, [{ tenantId: caller.tenantId, calls: admitted.calls }]));
    return { calls: results.map(({ tenantId: _tenantId, ...outcome }) => outcome), rejected: admitted.rejected };
  }

  /** An agent reports only its own call, while it lasts. */
  private async assertCurrentCallOf(caller: Principal, callId: string): Promise<void> {
    const call = await this.query.call(caller.tenantId, callId);
    assertActsAsAgent(caller, call.agentId ?? '');
    if (call.status === 'ended') throw new DomainError('CALL_ENDED', `call ${callId} ended: its quality is summarized`);
  }
}
