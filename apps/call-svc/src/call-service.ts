import { Module, type DynamicModule } from '@nestjs/common';
import {
  EventSourcingModule,
  HttpApiModule,
  MessagingModule,
  RedisModule,
  ServiceCoreModule,
  type ServiceConfig,
  type ServiceDefaults,
} from '@softphone/platform';
import { SERVICES } from '@softphone/service-catalog';
import { SchedulerSchema1732400000002 } from '@softphone/scheduler';
import { AgentLinesProjection } from './agent-lines/agent-lines.projection.js';
import { callSvcRole } from './call-svc-role.js';
import { CallsModule } from './calls/calls.module.js';
import { CallsProjection } from './calls/calls.projection.js';
import { CallSvc1732400030000 } from './migrations/1732400030000-call-svc.js';
import { CallSvcAvailability1732400030001 } from './migrations/1732400030001-call-svc-availability.js';
import { CallSvcRoutableAgents1732400030002 } from './migrations/1732400030002-call-svc-routable-agents.js';
import { CallSvcQueueDispatch1732400030003 } from './migrations/1732400030003-call-svc-queue-dispatch.js';

export const CALL_SERVICE: ServiceDefaults = SERVICES['call-svc'];

@Module({})
class CallServiceModule {}

/** call-svc: outbound and inbound calls, routing, the durable 2-second auto-answer, media and hang-up (all of it, or the part CALL_SVC_ROLE names). */
export function callServiceModule(config: ServiceConfig): DynamicModule {
  return {
    module: CallServiceModule,
    imports: [
      ServiceCoreModule.forService(config),
      EventSourcingModule.forService({
        migrations: [
          ...MessagingModule.schema,
          SchedulerSchema1732400000002,
          CallSvc1732400030000,
          CallSvcAvailability1732400030001,
          CallSvcRoutableAgents1732400030002,
          CallSvcQueueDispatch1732400030003,
        ],
        projections: [CallsProjection, AgentLinesProjection],
      }),
      MessagingModule,
      HttpApiModule,
      // Rate limits (per principal, per address failing to authenticate), failing open.
      RedisModule,
      CallsModule.forRole(callSvcRole(config.env)),
    ],
  };
}
