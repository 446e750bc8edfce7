import { Module, type DynamicModule } from '@nestjs/common';
import { DurableSchedulerModule, SchedulingOnlyModule } from '@softphone/scheduler';
import { AgentLineCommands } from '../agent-lines/agent-line.commands.js';
import { AgentLinesController } from '../agent-lines/agent-lines.controller.js';
import type { CallSvcRole } from '../call-svc-role.js';
import { AutoAnswerPreparation } from '../auto-answer/auto-answer.preparation.js';
import { DirectoryConsumer } from '../directory/directory.consumer.js';
import { DirectoryProjection } from '../directory/directory.projection.js';
import { QueueDispatcher } from '../routing/queue-dispatcher.js';
import { CallHistoryController } from './call-history.controller.js';
import { CallJobs } from './call-jobs.js';
import { CallCommands } from './call.commands.js';
import { CallsController } from './calls.controller.js';
import { CallsQuery } from './calls.query.js';

@Module({})
export class CallsModule {
  /** The API (controllers, directory consumer) unless the role is timers; the durable jobs run unless it is api. */
  static forRole(role: CallSvcRole): DynamicModule {
    const api = role !== 'timers';
    const timers = role !== 'api';
    return {
      module: CallsModule,
      imports: [timers ? DurableSchedulerModule : SchedulingOnlyModule],
      controllers: api ? [CallsController, CallHistoryController, AgentLinesController] : [],
      providers: [
        CallsQuery,
        CallCommands,
        AgentLineCommands,
        QueueDispatcher,
        ...(api ? [DirectoryProjection, DirectoryConsumer] : []),
        ...(timers ? [CallJobs, AutoAnswerPreparation] : []),
      ],
    };
  }
}
