import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { ManagerInboxModule } from '../manager-inbox/manager-inbox.module.js';
import { CallMeters } from './call-meters.js';
import { CallQualityController } from './call-quality.controller.js';
import { CallQualityQuery } from './call-quality.query.js';
import { PendingNotices } from './pending-notices.js';
import { SamplesConsumer } from './samples.consumer.js';
import { SamplesController } from './samples.controller.js';
import { SecondsPublisher } from './seconds-publisher.js';

@Module({
  imports: [DurableSchedulerModule, ManagerInboxModule],
  controllers: [SamplesController, CallQualityController],
  providers: [CallMeters, CallQualityQuery, PendingNotices, SamplesConsumer, SecondsPublisher],
  exports: [CallMeters],
})
export class CallQualityModule {}
