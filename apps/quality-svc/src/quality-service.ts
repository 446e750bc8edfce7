import { Module, type DynamicModule } from '@nestjs/common';
import {
  EventSourcingModule,
  HttpApiModule,
  MessagingModule,
  RedisModule,
  ServiceCoreModule,
  type Clock,
  type ServiceConfig,
  type ServiceDefaults,
} from '@softphone/platform';
import { SERVICES } from '@softphone/service-catalog';
import { SchedulerSchema1732400000002 } from '@softphone/scheduler';
import { CallQualityModule } from './call-quality/call-quality.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { ManagerMessagesModule } from './manager-messages/manager-messages.module.js';
import { ManagerMessagesProjection } from './manager-messages/manager-messages.projection.js';
import { CallQuality1732400040000 } from './migrations/1732400040000-call-quality.js';
import { Directory1732400040001 } from './migrations/1732400040001-directory.js';
import { ManagerMessages1732400040002 } from './migrations/1732400040002-manager-messages.js';
import { MeterState1732400040010 } from './migrations/1732400040010-meter-state.js';
import { ManagerMessagesV21732400040020 } from './migrations/1732400040020-manager-messages-v2.js';
import { MeterOwnership1732400040030 } from './migrations/1732400040030-meter-ownership.js';
import { SecondsStreams1732400040040 } from './migrations/1732400040040-seconds-streams.js';

export const QUALITY_SERVICE: ServiceDefaults = SERVICES['quality-svc'];

export interface QualityServiceOptions {
  /** The time of rate limits, manager messages (the 60-minute window, digests) and events (tests share a ManualClock between instances). */
  clock?: Clock;
}

@Module({})
class QualityServiceModule {}

/** quality-svc: per-second network quality of calls, levels, summaries, dashboards and OU manager notices. */
export function qualityServiceModule(config: ServiceConfig, options: QualityServiceOptions = {}): DynamicModule {
  return {
    module: QualityServiceModule,
    imports: [
      ServiceCoreModule.forService(config, { clock: options.clock }),
      EventSourcingModule.forService({
        migrations: [
          ...MessagingModule.schema,
          SchedulerSchema1732400000002,
          CallQuality1732400040000,
          Directory1732400040001,
          ManagerMessages1732400040002,
          MeterState1732400040010,
          ManagerMessagesV21732400040020,
          MeterOwnership1732400040030,
          SecondsStreams1732400040040,
        ],
        projections: [ManagerMessagesProjection],
      }),
      MessagingModule,
      HttpApiModule,
      RedisModule,
      CallQualityModule,
      DirectoryModule,
      ManagerMessagesModule,
      DashboardModule,
    ],
  };
}
