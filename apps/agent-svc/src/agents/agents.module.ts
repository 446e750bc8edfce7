import { Module } from '@nestjs/common';
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
    { provide: SOFTPHONE_SECRET, useFactory: () => process.env.SOFTPHONE_SECRET ?? 'dev-softphone-secret-change-me' },
  ],
})
export class AgentsModule {}
