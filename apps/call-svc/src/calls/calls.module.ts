import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { AgentLineCommands } from '../agent-lines/agent-line.commands.js';
import { AgentLinesController } from '../agent-lines/agent-lines.controller.js';
import { DirectoryConsumer } from '../directory/directory.consumer.js';
import { DirectoryProjection } from '../directory/directory.projection.js';
import { QueueDispatcher } from '../routing/queue-dispatcher.js';
import { CallHistoryController } from './call-history.controller.js';
import { CallJobs } from './call-jobs.js';
import { CallCommands } from './call.commands.js';
import { CallsController } from './calls.controller.js';
import { CallsQuery } from './calls.query.js';

@Module({
  imports: [DurableSchedulerModule],
  controllers: [CallsController, CallHistoryController, AgentLinesController],
  providers: [CallsQuery, CallCommands, AgentLineCommands, QueueDispatcher, CallJobs, DirectoryProjection, DirectoryConsumer],
})
export class CallsModule {}
