import { Injectable } from '@nestjs/common';
import type { QualityLevel, SecondMetrics } from '@softphone/contracts';
import { NotFoundError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import { noticeText } from './notice-text.js';

export interface ManagerMessageView {
  messageId: string;
  subject: string;
  text: string;
  callId: string;
  agentId: string;
  orgUnitId: string;
  level: QualityLevel;
  second: string;
  metrics: SecondMetrics;
  notifiedAt: string;
  readAt: string | null;
  mailedAt: string | null;
}

interface Row {
  message_id: string;
  call_id: string;
  agent_id: string;
  agent_name: string | null;
  org_unit_id: string;
  level: QualityLevel;
  second: Date;
  metrics: SecondMetrics;
  notified_at: Date;
  read_at: Date | null;
  mailed_at: Date | null;
}

const SELECT = `SELECT m.message_id, m.call_id, m.agent_id, a.name AS agent_name, m.org_unit_id, m.level, m.second, m.metrics,
                       m.notified_at, m.read_at, m.mailed_at
                FROM manager_messages m LEFT JOIN agents a ON a.tenant_id = m.tenant_id AND a.agent_id = m.agent_id
                WHERE m.tenant_id = $1 AND m.manager_id = $2`;

function toView(r: Row): ManagerMessageView {
  const second = r.second.toISOString();
  return {
    messageId: r.message_id,
    ...noticeText({ callId: r.call_id, agentId: r.agent_id, agentName: r.agent_name, level: r.level, second, metrics: r.metrics }),
    callId: r.call_id,
    agentId: r.agent_id,
    orgUnitId: r.org_unit_id,
    level: r.level,
    second,
    metrics: r.metrics,
    notifiedAt: r.notified_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    mailedAt: r.mailed_at?.toISOString() ?? null,
  };
}

@Injectable()
export class ManagerMessagesQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async list(tenantId: string, managerId: string, options: { unreadOnly: boolean; limit: number }): Promise<ManagerMessageView[]> {
    const rows = await this.store.sql.rows<Row>(
      `${SELECT} ${options.unreadOnly ? 'AND m.read_at IS NULL' : ''} ORDER BY m.notified_at DESC, m.message_id LIMIT $3`,
      [tenantId, managerId, options.limit],
    );
    return rows.map(toView);
  }

  async get(tenantId: string, managerId: string, messageId: string): Promise<ManagerMessageView> {
    const [row] = await this.store.sql.rows<Row>(`${SELECT} AND m.message_id = $3`, [tenantId, managerId, messageId]);
    if (!row) throw new NotFoundError('message', messageId);
    return toView(row);
  }
}
