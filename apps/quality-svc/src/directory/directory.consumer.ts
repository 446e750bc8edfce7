import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { CallMeters } from '../call-quality/call-meters.js';
import { DirectoryFactsProjection } from './directory-facts.projection.js';
import { reactionsTo } from './directory-reactions.policy.js';

/**
 * quality-svc's view of tenant-svc, agent-svc and call-svc: each event goes
 * into the directory facts (a replayable projection), then its reactions (a
 * pure policy) are carried out, all in the transaction of the event's
 * processed-message record.
 */
@Injectable()
export class DirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly facts: DirectoryFactsProjection,
    private readonly meters: CallMeters,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('directory', ['tenant', 'agent', 'call'], {
      // Most of the agents' and calls' events are neither a fact kept here nor the cause of a reaction: passed over.
      handles: (event) => this.facts.handles(event.type) || reactionsTo(event).length > 0,
      handle: (event, uow) => this.apply(event, uow),
    });
  }

  private async apply(event: Envelope, uow: UnitOfWork): Promise<void> {
    await this.facts.apply(uow.sql, event);
    for (const reaction of reactionsTo(event)) {
      const { tenantId } = event;
      const [call] = await uow.sql.rows<{ agent_id: string | null }>('SELECT agent_id FROM calls WHERE tenant_id = $1 AND call_id = $2', [
        tenantId,
        reaction.callId,
      ]);
      await this.meters.close(uow, tenantId, reaction.callId, call.agent_id);
    }
  }
}
