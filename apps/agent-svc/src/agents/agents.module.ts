import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@softphone/platform';
import { CallActivityConsumer } from '../availability/call-activity.consumer.js';
import { TenantDirectoryConsumer } from '../directory/tenant-directory.consumer.js';
import { AgentHistoryController } from '../history/agent-history.controller.js';
import { AgentCommands, SOFTPHONE_SECRET } from './agent-commands.js';
import { AgentsController } from './agents.controller.js';
import { AgentsQuery } from './agents.query.js';

@Module({
  controllers: [AgentsController, AgentHistoryController],
  providers: [
    AgentsQuery,
    AgentCommands,
    TenantDirectoryConsumer,
    CallActivityConsumer,
    { provide: SOFTPHONE_SECRET, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.softphoneSecret },
  ],
})
export class AgentsModule {}
