import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import { MessagingLifecycle } from '@softphone/platform';
import { AgentCommands } from '../agents/agent.commands.js';
import { commandFor } from './call-reactions.policy.js';

/** Availability from call-svc's events: each implies (at most) one agent command, decided in the transaction of its inbox record. */
@Injectable()
export class CallActivityConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly commands: AgentCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('call-activity', ['call'], {
      // A call event that implies no agent command (arrived, answered by the customer...) is passed over.
      handles: (event) => commandFor(event as Envelope<CallEvent>) !== null,
      handle: async (event, uow) => {
        const command = commandFor(event as Envelope<CallEvent>);
        if (command) await this.commands.decideIn(uow, event.tenantId, command);
      },
    });
  }
}
