import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DurableScheduler } from '@softphone/scheduler';
import { AgentLineCommands } from '../agent-lines/agent-line.commands.js';
import { wrapUpJob } from '../agent-lines/wrap-up.job.js';
import { answerGuardJob } from '../auto-answer/answer-guard.job.js';
import { autoAnswerJob } from '../auto-answer/auto-answer.job.js';
import { AutoAnswerPreparation } from '../auto-answer/auto-answer.preparation.js';
import { CallCommands } from './call.commands.js';
import { heldCallJob } from './held-call.job.js';
import { ringTimeoutJob } from './ring-timeout.job.js';

/** Every durable job of call-svc and the command it runs when due (once, whichever instance is alive). */
@Injectable()
export class CallJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly calls: CallCommands,
    private readonly lines: AgentLineCommands,
    private readonly preparation: AutoAnswerPreparation,
  ) {}

  onModuleInit(): void {
    autoAnswerJob.handleAll(
      this.scheduler,
      (jobs, uow) => this.calls.autoAnswerAll(uow, jobs, this.preparation.take(jobs)),
      (jobs) => this.preparation.prepare(jobs),
    );
    answerGuardJob.handle(this.scheduler, (job, uow) => this.calls.answerGuardExpired(uow, job));
    ringTimeoutJob.handle(this.scheduler, (job, uow) => this.calls.ringTimedOut(uow, job));
    heldCallJob.handle(this.scheduler, (job, uow) => this.calls.holdExpired(uow, job));
    wrapUpJob.handle(this.scheduler, (job, uow) => this.lines.endWrapUp(uow, job));
  }
}
