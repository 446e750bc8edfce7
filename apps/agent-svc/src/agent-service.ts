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
import { AgentsModule } from './agents/agents.module.js';
import { AgentsProjection } from './agents/agents.projection.js';
import { AgentSvc1732400020000 } from './migrations/1732400020000-agent-svc.js';
import { AgentSvcAvailability1732400020001 } from './migrations/1732400020001-agent-svc-availability.js';
import { AgentSvcViewVersion1732400020002 } from './migrations/1732400020002-agent-svc-view-version.js';

// agent-svc derives softphone passwords: SOFTPHONE_SECRET is required.
export const AGENT_SERVICE: ServiceDefaults = { ...SERVICES['agent-svc'], usesSoftphoneSecret: true };

@Module({})
class AgentServiceModule {}

/** agent-svc: agents, sign-in, softphone registration (two phones in pool mode), availability, history. */
export function agentServiceModule(config: ServiceConfig): DynamicModule {
  return {
    module: AgentServiceModule,
    imports: [
      ServiceCoreModule.forService(config),
      EventSourcingModule.forService({
        migrations: [...MessagingModule.schema, AgentSvc1732400020000, AgentSvcAvailability1732400020001, AgentSvcViewVersion1732400020002],
        projections: [AgentsProjection],
      }),
      MessagingModule,
      HttpApiModule,
      // Rate limits (per principal, per address failing to authenticate), failing open.
      RedisModule,
      AgentsModule,
    ],
  };
}
