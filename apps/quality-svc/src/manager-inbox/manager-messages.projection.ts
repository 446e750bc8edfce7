import { Injectable } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { ManagerInboxEvent } from './manager-inbox.decider.js';

/** manager_messages: every OU manager's internal messages, as the inbox API shows them. */
@Injectable()
export class ManagerMessagesProjection implements InlineProjection {
  readonly name = 'manager_messages';

  handles(type: string): boolean {
    return type === 'quality.manager-notified' || type === 'quality.manager-message-read' || type === 'quality.manager-message-mailed';
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<ManagerInboxEvent>;
    switch (event.type) {
      case 'quality.manager-notified': {
        const d = event.data;
        await sql.execute(
          `INSERT INTO manager_messages (tenant_id, message_id, manager_id, org_unit_id, call_id, agent_id, level, second, metrics, notified_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
          [
            event.tenantId,
            d.messageId,
            d.managerId,
            d.orgUnitId,
            d.callId,
            d.agentId,
            d.level,
            d.second,
            JSON.stringify(d.metrics),
            d.notifiedAt,
          ],
        );
        return;
      }
      case 'quality.manager-message-read':
        await sql.execute('UPDATE manager_messages SET read_at = $3 WHERE tenant_id = $1 AND message_id = $2', [
          event.tenantId,
          event.data.messageId,
          event.occurredAt,
        ]);
        return;
      case 'quality.manager-message-mailed':
        await sql.execute('UPDATE manager_messages SET mailed_at = $3, mailed_to = $4 WHERE tenant_id = $1 AND message_id = $2', [
          event.tenantId,
          event.data.messageId,
          event.occurredAt,
          event.data.to,
        ]);
        return;
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM manager_messages');
  }
}
