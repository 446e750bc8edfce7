import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { AutoAnswerJob } from '../auto-answer/auto-answer.job.js';
import { DirectoryConsumer } from '../directory/directory.consumer.js';
import { RouteWaitingJob } from '../routing/route-waiting.job.js';
import { Router } from '../routing/router.js';
import { CallCommands } from './call-commands.js';
import { CallsController } from './calls.controller.js';
import { CallsQuery } from './calls.query.js';

@Module({
  imports: [DurableSchedulerModule],
  controllers: [CallsController],
  providers: [CallsQuery, CallCommands, Router, AutoAnswerJob, RouteWaitingJob, DirectoryConsumer],
})
export class CallsModule {}
