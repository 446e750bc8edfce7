import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { UnitOfWork } from '@softphone/event-store';
import { CLOCK, metadataFor, type Clock } from '@softphone/platform';
import { DurableScheduler, type Job } from '@softphone/scheduler';
import { callDecider, callStream } from '../calls/call.decider.js';

export const AUTO_ANSWER_JOB = 'call.auto-answer';
export const autoAnswerJobId = (callId: string) => `${AUTO_ANSWER_JOB}:${callId}`;

interface AutoAnswer {
  tenantId: string;
  callId: string;
}

/**
 * The durable 2-second auto-answer: a job in scheduled_jobs, written with the
 * offer; whichever instance is alive at the due time answers, once. The
 * decider answers only a call still offered (hung up before: nothing).
 */
@Injectable()
export class AutoAnswerJob implements OnModuleInit {
  constructor(
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(AUTO_ANSWER_JOB, (job, uow) => this.answer((job as Job<AutoAnswer>).payload, uow));
  }

  private async answer({ tenantId, callId }: AutoAnswer, uow: UnitOfWork): Promise<void> {
    await uow.decide(
      callStream(callId),
      callDecider,
      { type: 'AutoAnswer', callId, now: this.clock.now().toISOString() },
      metadataFor(tenantId),
    );
  }
}
