import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { CLOCK, type Clock } from '@softphone/platform';
import { BulkSamplesBody, SamplesBody } from './call-quality.schemas.js';
import { CallMeters, type CallIngested } from './call-meters.js';

const CallIdParam = { schema: Id };

/**
 * Gateways report samples of their tenant's calls (the token's tenant). A
 * retried request is harmless: samples already applied are duplicates.
 */
@ApiTags('samples')
@ApiBearerAuth()
@Roles('gateway')
@Controller()
export class SamplesController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly meters: CallMeters,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('calls/:callId/quality/samples')
  @HttpCode(200)
  async ingest(
    @Caller() caller: Principal,
    @Param('callId', CallIdParam) callId: string,
    @Body({ schema: SamplesBody }) body: z.infer<typeof SamplesBody>,
  ): Promise<Omit<CallIngested, 'tenantId'>> {
    const batch = { tenantId: caller.tenantId, calls: [{ callId, samples: body.samples }] };
    const [result] = await this.store.transaction((uow) => this.meters.ingest(uow, [batch], this.clock.now()));
    const { tenantId: _tenantId, ...outcome } = result;
    return outcome;
  }

  /** Several calls' samples in one request (one transaction). */
  @Post('quality/samples')
  @HttpCode(200)
  async ingestMany(@Caller() caller: Principal, @Body({ schema: BulkSamplesBody }) body: z.infer<typeof BulkSamplesBody>) {
    const results = await this.store.transaction((uow) =>
      this.meters.ingest(uow, [{ tenantId: caller.tenantId, calls: body.calls }], this.clock.now()),
    );
    return { calls: results.map(({ tenantId: _tenantId, ...outcome }) => outcome) };
  }
}
