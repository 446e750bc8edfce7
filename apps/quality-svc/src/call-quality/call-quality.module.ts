import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { CallMeters } from './call-meters.js';
import { CallQualityController } from './call-quality.controller.js';
import { CallQualityQuery } from './call-quality.query.js';
import { SamplesConsumer } from '../ingestion/samples.consumer.js';
import { SamplesController } from './samples.controller.js';
import { SecondsPublisher } from './seconds-publisher.js';

@Module({
  imports: [DurableSchedulerModule],
  controllers: [SamplesController, CallQualityController],
  providers: [CallMeters, CallQualityQuery, SamplesConsumer, SecondsPublisher],
  exports: [CallMeters],
})
export class CallQualityModule {}
