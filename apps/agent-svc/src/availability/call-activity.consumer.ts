import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { AgentCommands } from '../agents/agent-commands.js';

/** Availability from call-svc's events: occupied while talking (call.connected), idle when the call ends. */
@Injectable()
export class CallActivityConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly commands: AgentCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('call-activity', ['call'], { handle: (event, uow) => this.apply(event as Envelope<CallEvent>, uow) });
  }

  private async apply(event: Envelope<CallEvent>, uow: UnitOfWork): Promise<void> {
    if (event.type === 'call.connected') {
      await this.commands.decideIn(uow, event.tenantId, { type: 'StartCall', agentId: event.data.agentId, callId: event.data.callId });
    } else if (event.type === 'call.ended' && event.data.agentId) {
      await this.commands.decideIn(uow, event.tenantId, { type: 'EndCall', agentId: event.data.agentId, callId: event.data.callId });
    }
  }
}
