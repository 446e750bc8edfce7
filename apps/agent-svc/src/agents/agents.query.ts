import { Injectable } from '@nestjs/common';
import type { NotRespondingReason } from '@softphone/contracts';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { availabilityOf, type Availability } from '../availability/availability.policy.js';
import { isRegistered, phonesDown } from '../registration/registration.policy.js';
import type { PhoneStatus } from './agent.decider.js';

export interface AgentView {
  agentId: string;
  tenantId: string;
  orgUnitId: string;
  name: string;
  workNumber: string;
  softphoneNumber: string;
  authMode: 'unified' | 'uap';
  boundPhone: { kind: 'fixed-line' | 'mobile'; number: string } | null;
  skillQueueIds: string[];
  /** One of its queues is voice-related (voice, video, voice or video click-to-dial): the WebRTC phone needs it. */
  hasVoiceRelatedSkillQueue: boolean;
  signedIn: boolean;
  /** Each phone of the tenant's layout (phone 1; phone 2 too in pool mode); registered when every one is. */
  phones: Array<{ phoneId: number; status: PhoneStatus }>;
  registered: boolean;
  /** The phones showing the failure indicator (registration failed, or deregistered after success), with the reason. */
  phonesDown: Array<{ phoneId: number; status: 'failed' | 'deregistered'; reason: string }>;
  availability: Availability;
  currentCallId: string | null;
  /** In wrap-up: until when (the agent may end it early). */
  wrapUpUntil: string | null;
  notResponding: { callId: string; reason: NotRespondingReason } | null;
  /** The softphone's heartbeats: watched from the first one after sign-in; unreachable after three missed periods. */
  softphone: { reachable: boolean; lastHeartbeatAt: string | null };
  since: string;
  /** The agent stream's version this row shows: GET /agents/:id?afterVersion= waits for a greater one. */
  version: number;
}

export interface AgentRow {
  agent_id: string;
  tenant_id: string;
  org_unit_id: string;
  name: string;
  work_number: string;
  softphone_number: string;
  auth_mode: 'unified' | 'uap';
  bound_phone: AgentView['boundPhone'];
  skill_queue_ids: string[];
  voice_related: boolean;
  signed_in: boolean;
  phones: Record<string, PhoneStatus>;
  phone_failures: Record<string, string>;
  current_call_id: string | null;
  call_phase: 'ringing' | 'talking' | null;
  wrap_up: { callId: string; until: string } | null;
  not_responding: AgentView['notResponding'];
  softphone_reachable: boolean;
  last_heartbeat_at: Date | null;
  state_since: Date;
  pool_mode: boolean;
  version: number;
}

/**
 * The agent row's columns (over `agents_view a`): named, since a prepared statement over `a.*` fails ("cached plan must
 * not change result type") once another instance's migration adds one. With its tenant's pool mode, which says which
 * phones the softphone has: joined by a read, a subquery in the projection's RETURNING (AGENT_ROW_RETURNING).
 */
const AGENT_COLUMNS = `a.agent_id, a.tenant_id, a.org_unit_id, a.name, a.work_number, a.softphone_number, a.auth_mode, a.bound_phone,
  a.skill_queue_ids, a.voice_related, a.signed_in, a.phones, a.phone_failures, a.current_call_id, a.call_phase, a.wrap_up,
  a.not_responding, a.softphone_reachable, a.last_heartbeat_at, a.state_since, a.version`;

const SELECT_AGENTS = `SELECT ${AGENT_COLUMNS}, coalesce(t.pool_mode, false) AS pool_mode
  FROM agents_view a LEFT JOIN tenant_facts t USING (tenant_id)`;

/** The row an `UPDATE agents_view a` wrote, as `AgentsQuery.get` reads it (agentViewOf makes it the view). */
export const AGENT_ROW_RETURNING = `RETURNING ${AGENT_COLUMNS},
  coalesce((SELECT t.pool_mode FROM tenant_facts t WHERE t.tenant_id = a.tenant_id), false) AS pool_mode`;

export const agentViewOf = (r: AgentRow): AgentView => {
  const phones = (r.pool_mode ? ['1', '2'] : ['1']).map((phoneId) => ({
    phoneId: Number(phoneId),
    status: r.phones[phoneId] ?? 'unregistered',
  }));
  const call = r.current_call_id && r.call_phase ? { callId: r.current_call_id, phase: r.call_phase } : null;
  return {
    agentId: r.agent_id,
    tenantId: r.tenant_id,
    orgUnitId: r.org_unit_id,
    name: r.name,
    workNumber: r.work_number,
    softphoneNumber: r.softphone_number,
    authMode: r.auth_mode,
    boundPhone: r.bound_phone,
    skillQueueIds: r.skill_queue_ids,
    hasVoiceRelatedSkillQueue: r.voice_related,
    signedIn: r.signed_in,
    phones,
    registered: isRegistered(phones),
    phonesDown: phonesDown(phones, r.phone_failures),
    availability: availabilityOf({ call, wrapUp: r.wrap_up, notResponding: r.not_responding, softphoneReachable: r.softphone_reachable }),
    currentCallId: r.current_call_id,
    wrapUpUntil: r.wrap_up?.until ?? null,
    notResponding: r.not_responding,
    softphone: { reachable: r.softphone_reachable, lastHeartbeatAt: r.last_heartbeat_at?.toISOString() ?? null },
    since: r.state_since.toISOString(),
    version: r.version,
  };
};

@Injectable()
export class AgentsQuery {
  constructor(private readonly store: PostgresEventStore) {}

  /** One agent of the tenant (another tenant's agent is not found); a prepared statement: the hot read of every command and wait. */
  async get(tenantId: string, agentId: string, sql: Sql = this.store.sql): Promise<AgentView> {
    const [row] = await sql.prepared<AgentRow>('agents_get', `${SELECT_AGENTS} WHERE a.agent_id = $1 AND a.tenant_id = $2`, [
      agentId,
      tenantId,
    ]);
    if (!row) throw new NotFoundError('agent', agentId);
    return agentViewOf(row);
  }

  /** The live state board of a tenant (or of one org unit). */
  async board(tenantId: string, orgUnitId?: string): Promise<AgentView[]> {
    const rows = await this.store.sql.rows<AgentRow>(
      `${SELECT_AGENTS} WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.org_unit_id = $2) ORDER BY a.name, a.agent_id`,
      [tenantId, orgUnitId ?? null],
    );
    return rows.map(agentViewOf);
  }
}
