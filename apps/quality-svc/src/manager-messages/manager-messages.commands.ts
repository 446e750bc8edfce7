import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { managerMessagesDecider, managerMessagesStream, type ManagerMessagesCommand } from './manager-messages.decider.js';
import { MANAGER_MESSAGES_SNAPSHOTS } from './manager-messages.snapshots.js';
import { MessageMailer } from './message-mailer.js';

const SENT = new Set(['quality.manager-notified', 'quality.manager-digest-notified']);

const messages = new Counter({
  name: 'quality_manager_messages_total',
  help: 'OU manager messages by kind: alert or digest sent, alert held for the digest',
  labelNames: ['kind'],
});

/** Gather → decide → append on a manager's messages stream; every message sent is mailed (a durable job in the same transaction). */
@Injectable()
export class ManagerMessagesCommands {
  constructor(private readonly mailer: MessageMailer) {}

  async decideIn(uow: UnitOfWork, tenantId: string, command: ManagerMessagesCommand): Promise<number> {
    const { events } = await uow.decide(
      managerMessagesStream(tenantId, command.managerId),
      managerMessagesDecider,
      command,
      metadataFor(tenantId),
      MANAGER_MESSAGES_SNAPSHOTS,
    );
    for (const event of events) {
      if (SENT.has(event.type)) {
        const { messageId } = event.data as { messageId: string };
        await this.mailer.schedule(uow, { tenantId, managerId: command.managerId, messageId });
      }
    }
    uow.afterCommit(() => {
      for (const e of events) messages.inc({ kind: e.type.replace('quality.manager-', '') });
    });
    return events.length;
  }
}
