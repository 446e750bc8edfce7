import { Injectable } from '@nestjs/common';
import { upcastManagerNotified, type Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { ManagerMessagesEvent } from './manager-messages.decider.js';

const HANDLED = new Set<string>([
  'quality.manager-notified',
  'quality.manager-digest-notified',
  'quality.manager-alert-held',
  'quality.manager-message-read',
  'quality.manager-message-mailed',
]);

const INSERT = `INSERT INTO manager_messages (tenant_id, message_id, manager_id, kind, org_unit_id, call_id, agent_id, level, second, metrics,
                                              reasons, digest, notified_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13)`;
const SENT = 'DELETE FROM manager_digests_due WHERE tenant_id = $1 AND manager_id = $2';

/**
 * manager_messages: every OU manager's internal messages, as the API shows
 * them; manager_digests_due: when each manager's digest of held alerts is due.
 */
@Injectable()
export class ManagerMessagesProjection implements InlineProjection {
  readonly name = 'manager_messages';

  handles(type: string): boolean {
    return HANDLED.has(type);
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<ManagerMessagesEvent>;
    const { tenantId } = event;
    switch (event.type) {
      case 'quality.manager-notified': {
        const d = upcastManagerNotified(event);
        await sql.execute(INSERT, [
          tenantId,
          d.messageId,
          d.managerId,
          'alert',
          d.orgUnitId,
          d.callId,
          d.agentId,
          d.level,
          d.second,
          JSON.stringify(d.metrics),
          JSON.stringify(d.reasons),
          null,
          d.notifiedAt,
        ]);
        await sql.execute(SENT, [tenantId, d.managerId]);
        return;
      }
      case 'quality.manager-digest-notified': {
        const { messageId, managerId, level, notifiedAt, ...digest } = event.data;
        await sql.execute(INSERT, [
          tenantId,
          messageId,
          managerId,
          'digest',
          null,
          null,
          null,
          level,
          null,
          null,
          '[]',
          JSON.stringify(digest),
          notifiedAt,
        ]);
        await sql.execute(SENT, [tenantId, managerId]);
        return;
      }
      case 'quality.manager-alert-held':
        await sql.execute(
          `INSERT INTO manager_digests_due (tenant_id, manager_id, due_at) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, manager_id) DO UPDATE SET due_at = EXCLUDED.due_at`,
          [tenantId, event.data.managerId, event.data.digestDueAt],
        );
        return;
      case 'quality.manager-message-read':
        await sql.execute('UPDATE manager_messages SET read_at = $3 WHERE tenant_id = $1 AND message_id = $2', [
          tenantId,
          event.data.messageId,
          event.occurredAt,
        ]);
        return;
      case 'quality.manager-message-mailed':
        await sql.execute('UPDATE manager_messages SET mailed_at = $3, mailed_to = $4 WHERE tenant_id = $1 AND message_id = $2', [
          tenantId,
          event.data.messageId,
          event.occurredAt,
          event.data.to,
        ]);
        return;
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM manager_messages');
    await sql.execute('DELETE FROM manager_digests_due');
  }
}
