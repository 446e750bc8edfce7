import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@softphone/platform';
import { CallActivityConsumer } from '../availability/call-activity.consumer.js';
import { TenantDirectoryConsumer } from '../directory/tenant-directory.consumer.js';
import { TenantFactsProjection } from '../directory/tenant-facts.projection.js';
import { AgentHistoryController } from '../history/agent-history.controller.js';
import { HeartbeatStore } from '../liveness/heartbeat-store.js';
import { SoftphoneLiveness } from '../liveness/softphone-liveness.js';
import { AGENT_SETTINGS, agentSettings } from './agent-settings.js';
import { AgentChanges } from './agent-changes.js';
import { AgentCommands, SOFTPHONE_SECRET } from './agent.commands.js';
import { AgentsController } from './agents.controller.js';
import { AgentsQuery } from './agents.query.js';

@Module({
  controllers: [AgentsController, AgentHistoryController],
  providers: [
    AgentsQuery,
    AgentChanges,
    AgentCommands,
    HeartbeatStore,
    SoftphoneLiveness,
    TenantFactsProjection,
    TenantDirectoryConsumer,
    CallActivityConsumer,
    { provide: SOFTPHONE_SECRET, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.softphoneSecret },
    { provide: AGENT_SETTINGS, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => agentSettings(config.env) },
  ],
})
export class AgentsModule {}
