import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { DataOf, Envelope, QualityEvent } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { CLOCK, MessagingLifecycle, type Clock } from '@softphone/platform';
import { DurableScheduler, type Job } from '@softphone/scheduler';
import { ManagerMessagesCommands } from './manager-messages.commands.js';
import { recipientOf } from './message-recipient.policy.js';
import { recipientFacts } from './message-targets.js';

type WentPoor = DataOf<QualityEvent, 'quality.call-went-poor'>;

/** A call gone poor whose agent (or the agent's OU) was not known yet, tried again. */
interface PoorCallRetry {
  tenantId: string;
  wentPoor: WentPoor;
  attempt: number;
}

const RETRY_JOB = 'quality.poor-call-retry';
/** 1 s, doubling up to 30 s: about 8 minutes for call-svc and agent-svc to tell us the call's agent. */
const MAX_RETRIES = 20;

const outcomes = new Counter({
  name: 'quality_poor_call_reactions_total',
  help: 'Calls gone poor by what became of them for the OU managers',
  labelNames: ['outcome'],
});

/** The same call going poor at the same second is the same alert, whoever reacts to it and however often. */
function alertId(tenantId: string, callId: string, second: string): string {
  const hex = createHash('sha256')
    .update(`${tenantId}\n${callId}\n${Date.parse(second)}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The reaction to `quality.call-went-poor` (consumed from quality-svc's own
 * events topic, group `quality-svc.manager-messages`): finds the manager to
 * tell and reports the call on that manager's messages stream, where the
 * 60-minute rule sends it or holds it for the hour's digest. Samples may come
 * before call-svc's and agent-svc's events: an alert whose agent is unknown is
 * tried again by a durable job.
 */
@Injectable()
export class PoorCallReaction implements OnModuleInit {
  private readonly logger = new Logger('PoorCallReaction');

  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly commands: ManagerMessagesCommands,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.scheduler.register(RETRY_JOB, (job, uow) => {
      const { tenantId, wentPoor, attempt } = (job as Job<PoorCallRetry>).payload;
      return this.react(uow, tenantId, wentPoor, attempt + 1);
    });
  }

  onModuleInit(): void {
    this.messaging.consumeEvents('manager-messages', ['quality'], {
      handles: (event) => event.type === 'quality.call-went-poor',
      handle: (event, uow) => this.react(uow, event.tenantId, (event as Envelope<QualityEvent>).data as WentPoor, 1),
    });
  }

  private async react(uow: UnitOfWork, tenantId: string, wentPoor: WentPoor, attempt: number): Promise<void> {
    const recipient = recipientOf(await recipientFacts(uow.sql, tenantId, wentPoor.callId, wentPoor.agentId));
    switch (recipient.kind) {
      case 'wait':
        return this.retryLater(uow, { tenantId, wentPoor, attempt });
      case 'nobody':
        return uow.afterCommit(() => outcomes.inc({ outcome: recipient.because }));
      case 'manager': {
        const { callId, second, level, reasons, metrics } = wentPoor;
        const { managerId, agentId, orgUnitId } = recipient;
        await this.commands.decideIn(uow, tenantId, {
          type: 'ReportPoorCall',
          managerId,
          alert: { messageId: alertId(tenantId, callId, second), orgUnitId, callId, agentId, level, second, reasons, metrics },
          at: this.clock.now().toISOString(),
          digestMessageId: randomUUID(),
        });
        return uow.afterCommit(() => outcomes.inc({ outcome: 'reported' }));
      }
    }
  }

  private async retryLater(uow: UnitOfWork, retry: PoorCallRetry): Promise<void> {
    const { tenantId, wentPoor, attempt } = retry;
    if (attempt > MAX_RETRIES) {
      uow.afterCommit(() => outcomes.inc({ outcome: 'agent-unknown' }));
      return this.logger.warn(`call ${wentPoor.callId} of tenant ${tenantId}: its agent is still unknown, no internal message`);
    }
    await this.scheduler.schedule(uow, {
      id: `${RETRY_JOB}:${tenantId}:${wentPoor.callId}:${wentPoor.second}:${attempt}`,
      kind: RETRY_JOB,
      dueAt: new Date(Date.now() + Math.min(1000 * 2 ** (attempt - 1), 30_000)),
      payload: retry,
    });
  }
}
