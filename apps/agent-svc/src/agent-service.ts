import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig, type ServiceDefaults } from '@softphone/platform';
import { AgentsModule } from './agents/agents.module.js';
import { AgentsProjection } from './agents/agents.projection.js';
import { AgentSvc1732400020000 } from './migrations/1732400020000-agent-svc.js';

export const AGENT_SERVICE: ServiceDefaults = {
  serviceName: 'agent-svc',
  port: 3002,
  database: 'softphone_agent',
  usesSoftphoneSecret: true,
};

@Module({})
class AgentServiceModule {}

/** agent-svc: agents, sign-in, softphone registration (two phones in pool mode), availability, history. */
export function agentServiceModule(config: ServiceConfig): DynamicModule {
  return {
    module: AgentServiceModule,
    imports: [PlatformModule.forService({ config, migrations: [AgentSvc1732400020000], projections: [AgentsProjection] }), AgentsModule],
  };
}
