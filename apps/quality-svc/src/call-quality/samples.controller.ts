import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { assertActsAsAgent, Caller, Roles, type Principal } from '@softphone/auth';
import { Id, type CallSamples, type QualityMeasurements, type QualitySamplesMessage, type Topics } from '@softphone/contracts';
import { DomainError, NotFoundError, ValidationError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import type { MessageBroker } from '@softphone/messaging';
import { SAMPLES_RETENTION_MS } from '@softphone/kafka-access';
import { CLOCK, fieldOf, MESSAGE_BROKER, SERVICE_CONFIG, TOPICS, type Clock, type ServiceConfig } from '@softphone/platform';
import { admitCalls, type RejectedCall } from './admit-calls.js';
import { BulkSamplesBody, SamplesBody } from './call-quality.schemas.js';
import { CallQualityQuery } from './call-quality.query.js';
import { clockSkewIssue } from './measurement-time.js';

const CallIdParam = { schema: Id };

/** call-svc's facts come asynchronously: a call just placed may not be known yet. Asked again this long before 404. */
const UNKNOWN_CALL_WAIT_MS = 2_000;
const UNKNOWN_CALL_POLL_MS = 100;

/** A call's samples as accepted: measured (and readable) once the owner of the call's samples partition checkpoints them. */
export interface AcceptedCall {
  callId: string;
  /** Samples or getStats reports accepted. */
  accepted: number;
}

const countOf = (call: Pick<CallSamples, 'samples' | 'reports'>) => call.samples?.length ?? call.reports?.length ?? 0;

/**
 * Gateways report samples of their tenant's calls (the token's tenant); an
 * agent's browser reports the getStats() of its own current call. Accepted
 * samples go to the tenant's samples topic keyed by call (202): the instance
 * owning that partition meters them, the only writer of a call's meter. A
 * retried request is harmless: samples already measured are duplicates.
 */
@ApiTags('samples')
@ApiBearerAuth()
@Roles('gateway')
@Controller()
export class SamplesController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: CallQualityQuery,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  private readonly topicsMade = new Set<string>();

  @Post('calls/:callId/quality/samples')
  @Roles('gateway', 'agent')
  @HttpCode(202)
  async ingest(
    @Caller() caller: Principal,
    @Param('callId', CallIdParam) callId: string,
    @Body({ schema: SamplesBody }) body: QualityMeasurements,
  ): Promise<AcceptedCall> {
    const now = this.clock.now();
    if (caller.role === 'agent') await this.assertCurrentCallOf(caller, callId);
    const issue = clockSkewIssue(body, now.getTime());
    if (issue) {
      const field = fieldOf(issue);
      throw new ValidationError(field, `${field}: ${issue.message}`);
    }
    if ((await this.unknownOf(caller.tenantId, [callId])).size > 0) throw new NotFoundError('call', callId);
    await this.produce(caller.tenantId, [{ callId, ...body }], now);
    return { callId, accepted: countOf(body) };
  }

  /**
   * Several calls' samples in one request; a call that fails its checks, or
   * that the tenant does not have, is refused alone with its field (400 when no
   * call passes its checks, 404 when none is known).
   */
  @Post('quality/samples')
  @HttpCode(202)
  async ingestMany(
    @Caller() caller: Principal,
    @Body({ schema: BulkSamplesBody }) body: z.infer<typeof BulkSamplesBody>,
  ): Promise<{ calls: AcceptedCall[]; rejected: RejectedCall[] }> {
    const now = this.clock.now();
    const admitted = admitCalls(body.calls, now.getTime());
    if (admitted.calls.length === 0) {
      const [first] = admitted.rejected;
      throw new ValidationError(first.field, `${first.field}: ${first.message}`, admitted.rejected);
    }
    const unknown = await this.unknownOf(
      caller.tenantId,
      admitted.calls.map((c) => c.callId),
    );
    const known = admitted.calls.filter((c) => !unknown.has(c.callId));
    if (known.length === 0) throw new NotFoundError('call', admitted.calls[0].callId, 'calls[0].callId');
    await this.produce(caller.tenantId, known, now);
    const rejected = [...admitted.rejected];
    body.calls.forEach((call, i) => {
      const callId = (call as { callId?: unknown } | null)?.callId;
      if (typeof callId !== 'string' || !unknown.has(callId)) return;
      const path = ['calls', i, 'callId'];
      rejected.push({ callId, field: fieldOf({ path, message: '' }), path, message: `call ${callId} was not found` });
    });
    return { calls: known.map((c) => ({ callId: c.callId, accepted: countOf(c) })), rejected };
  }

  /**
   * One message per call, keyed by call: its samples partition, whatever else the tenant sends. Stamped with the time the
   * samples were admitted: the consumer checks them against that time, not against when it gets to them.
   */
  private async produce(tenantId: string, calls: readonly CallSamples[], admittedAt: Date): Promise<void> {
    const topic = this.topics.qualitySamples(tenantId);
    if (!this.topicsMade.has(topic)) {
      // A tenant without a gateway (browsers' getStats only) has no samples topic yet: made here, kept like a gateway's.
      await this.broker.ensureTopics([topic], this.config.kafkaPartitions, [topic], { retentionMs: SAMPLES_RETENTION_MS });
      this.topicsMade.add(topic);
    }
    await this.broker.publish(
      calls.map((call) => {
        const message: QualitySamplesMessage = { tenantId, calls: [call] };
        return { topic, key: call.callId, value: JSON.stringify(message), timestamp: admittedAt.getTime() };
      }),
    );
  }

  /** The calls the tenant does not have, after waiting up to UNKNOWN_CALL_WAIT_MS for call-svc's facts. */
  private async unknownOf(tenantId: string, callIds: readonly string[]): Promise<Set<string>> {
    const unknown = new Set(callIds);
    for (const deadline = Date.now() + UNKNOWN_CALL_WAIT_MS; ;) {
      const rows = await this.store.sql.rows<{ call_id: string }>(
        `SELECT call_id FROM calls WHERE tenant_id = $1 AND call_id = ANY($2::text[])`,
        [tenantId, [...unknown]],
      );
      for (const r of rows) unknown.delete(r.call_id);
      if (unknown.size === 0 || Date.now() >= deadline) return unknown;
      await new Promise((resolve) => setTimeout(resolve, UNKNOWN_CALL_POLL_MS));
    }
  }

  /** An agent reports only its own call, while it lasts. */
  private async assertCurrentCallOf(caller: Principal, callId: string): Promise<void> {
    const call = await this.query.call(caller.tenantId, callId);
    assertActsAsAgent(caller, call.agentId ?? '');
    if (call.status === 'ended') throw new DomainError('CALL_ENDED', `call ${callId} ended: its quality is summarized`);
  }
}
