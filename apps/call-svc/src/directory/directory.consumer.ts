import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AgentEvent, Envelope, TenantEvent } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { CallCommands } from '../calls/call.commands.js';
import { QueueDispatcher } from '../routing/queue-dispatcher.js';
import { DirectoryProjection } from './directory.projection.js';
import { reactionsTo, type DirectoryReaction } from './directory-reactions.policy.js';

/**
 * call-svc's view of agent-svc and tenant-svc: each event goes into the
 * directory (a replayable projection), then its reactions (a pure policy) run,
 * all in the transaction of the event's inbox record.
 */
@Injectable()
export class DirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly directory: DirectoryProjection,
    private readonly dispatcher: QueueDispatcher,
    private readonly calls: CallCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('directory', ['tenant', 'agent'], {
      // Its reactions all follow facts the directory records: the agents' calls and other events are passed over.
      handles: (event) => this.directory.handles(event.type),
      handle: (event, uow) => this.apply(event as Envelope<TenantEvent | AgentEvent>, uow),
    });
  }

  private async apply(event: Envelope<TenantEvent | AgentEvent>, uow: UnitOfWork): Promise<void> {
    await this.directory.apply(uow.sql, event);
    for (const reaction of reactionsTo(event)) await this.react(uow, event.tenantId, reaction);
  }

  private async react(uow: UnitOfWork, tenantId: string, reaction: DirectoryReaction): Promise<void> {
    switch (reaction.kind) {
      case 'route-agent':
        await this.dispatcher.agentFree(uow, tenantId, reaction.agentId);
        return;
      case 'withdraw-calls':
        return this.calls.withdrawFromAgent(uow, tenantId, reaction.agentId, reaction.phoneId);
      case 'resolve-held-calls':
        return this.calls.resolveHeldCalls(uow, tenantId, reaction.dialed);
    }
  }
}
