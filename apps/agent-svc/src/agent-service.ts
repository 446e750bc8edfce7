import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig, type ServiceDefaults } from '@softphone/platform';
import { AgentsModule } from './agents/agents.module.js';
import { AgentsProjection } from './agents/agents.projection.js';
import { AgentSvc1732400020000 } from './migrations/1732400020000-agent-svc.js';
import { AgentSvcAvailability1732400020001 } from './migrations/1732400020001-agent-svc-availability.js';

export const AGENT_SERVICE: ServiceDefaults = { serviceName: 'agent-svc', port: 3002, database: 'softphone_agent' };

@Module({})
class AgentServiceModule {}

/** agent-svc: agents, sign-in, softphone registration (two phones in pool mode), availability, history. */
export function agentServiceModule(config: ServiceConfig): DynamicModule {
  return {
    module: AgentServiceModule,
    imports: [
      PlatformModule.forService({
        config,
        migrations: [AgentSvc1732400020000, AgentSvcAvailability1732400020001],
        projections: [AgentsProjection],
      }),
      AgentsModule,
    ],
  };
}
