import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { CallMeters } from './call-meters.js';
import { CallQualityController } from './call-quality.controller.js';
import { CallQualityQuery } from './call-quality.query.js';
import { SamplesConsumer } from './samples.consumer.js';
import { SamplesController } from './samples.controller.js';

@Module({
  imports: [DurableSchedulerModule],
  controllers: [SamplesController, CallQualityController],
  providers: [CallMeters, CallQualityQuery, SamplesConsumer],
  exports: [CallMeters],
})
export class CallQualityModule {}
