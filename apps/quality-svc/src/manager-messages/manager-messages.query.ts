import { Injectable } from '@nestjs/common';
import type { PoorReason, QualityLevel, SecondMetrics } from '@softphone/contracts';
import { NotFoundError } from '@softphone/errors';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { messageText, type DigestFacts, type MessageFacts } from './message-text.js';

export interface ManagerMessageView {
  messageId: string;
  /** An alert about one call, or the hour's digest of the alerts held by the 60-minute rule. */
  kind: 'alert' | 'digest';
  subject: string;
  text: string;
  /** The alert's call, agent, agent's OU, second and metrics; null for a digest. */
  callId: string | null;
  agentId: string | null;
  orgUnitId: string | null;
  level: QualityLevel;
  second: string | null;
  metrics: SecondMetrics | null;
  reasons: PoorReason[];
  digest: DigestFacts | null;
  notifiedAt: string;
  readAt: string | null;
  mailedAt: string | null;
}

interface Row {
  message_id: string;
  kind: 'alert' | 'digest';
  call_id: string | null;
  agent_id: string | null;
  org_unit_id: string | null;
  level: QualityLevel;
  second: Date | null;
  metrics: SecondMetrics | null;
  reasons: PoorReason[];
  digest: DigestFacts | null;
  notified_at: Date;
  read_at: Date | null;
  mailed_at: Date | null;
}

const SELECT = `SELECT message_id, kind, call_id, agent_id, org_unit_id, level, second, metrics, reasons, digest, notified_at, read_at, mailed_at
                FROM manager_messages WHERE tenant_id = $1 AND manager_id = $2`;

function facts(r: Row): MessageFacts {
  return r.kind === 'digest'
    ? { kind: 'digest', level: r.level, digest: r.digest! }
    : {
        kind: 'alert',
        level: r.level,
        callId: r.call_id!,
        agentId: r.agent_id!,
        second: r.second!.toISOString(),
        metrics: r.metrics!,
        reasons: r.reasons,
      };
}

const agentsOf = (r: Row): string[] =>
  r.digest ? [...r.digest.agents.map((a) => a.agentId), ...r.digest.worstReasons.map((w) => w.agentId)] : r.agent_id ? [r.agent_id] : [];

/** The views of a manager's messages, their words naming the agents known here. */
async function views(sql: Sql, tenantId: string, rows: Row[]): Promise<ManagerMessageView[]> {
  const ids = [...new Set(rows.flatMap(agentsOf))];
  const names = new Map(
    (
      await sql.rows<{ agent_id: string; name: string }>('SELECT agent_id, name FROM agents WHERE tenant_id = $1 AND agent_id = ANY($2)', [
        tenantId,
        ids,
      ])
    ).map((a) => [a.agent_id, a.name]),
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    kind: r.kind,
    ...messageText(facts(r), names),
    callId: r.call_id,
    agentId: r.agent_id,
    orgUnitId: r.org_unit_id,
    level: r.level,
    second: r.second?.toISOString() ?? null,
    metrics: r.metrics,
    reasons: r.reasons,
    digest: r.digest,
    notifiedAt: r.notified_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    mailedAt: r.mailed_at?.toISOString() ?? null,
  }));
}

/** One of a manager's messages, in a unit of work (the mailer's) or not; 404 `MESSAGE_NOT_FOUND` if it is not theirs. */
export async function managerMessage(sql: Sql, tenantId: string, managerId: string, messageId: string): Promise<ManagerMessageView> {
  const rows = await sql.rows<Row>(`${SELECT} AND message_id = $3`, [tenantId, managerId, messageId]);
  if (rows.length === 0) throw new NotFoundError('message', messageId);
  const [view] = await views(sql, tenantId, rows);
  return view;
}

@Injectable()
export class ManagerMessagesQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async list(tenantId: string, managerId: string, options: { unreadOnly: boolean; limit: number }): Promise<ManagerMessageView[]> {
    const rows = await this.store.sql.rows<Row>(
      `${SELECT} ${options.unreadOnly ? 'AND read_at IS NULL' : ''} ORDER BY notified_at DESC, message_id LIMIT $3`,
      [tenantId, managerId, options.limit],
    );
    return views(this.store.sql, tenantId, rows);
  }

  get(tenantId: string, managerId: string, messageId: string): Promise<ManagerMessageView> {
    return managerMessage(this.store.sql, tenantId, managerId, messageId);
  }
}
