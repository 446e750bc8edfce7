import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthMode } from '@softphone/contracts';
import { isUniqueViolation, PostgresEventStore, type Loaded, type UnitOfWork } from '@softphone/event-store';
import { DomainError, NotFoundError } from '@softphone/errors';
import { metadataFor } from '@softphone/platform';
import { awaitUpstreamFact, orgUnitExists, skillQueueMediaTypes, tenantFacts } from '../directory/tenant-facts.query.js';
import { HeartbeatStore } from '../liveness/heartbeat-store.js';
import { credentialsFor, currentCredentials, type SoftphoneCredentials } from '../registration/softphone-credentials.js';
import { AGENT_SETTINGS, type AgentSettings } from './agent-settings.js';
import { agentDecider, agentStream, type AgentCommand, type AgentState, type PhoneId } from './agent.decider.js';
import { AgentsQuery, type AgentView } from './agents.query.js';
import { AGENT_SNAPSHOTS } from './agent.snapshots.js';

export const SOFTPHONE_SECRET = Symbol('SOFTPHONE_SECRET');

export interface AgentResult {
  agent: AgentView;
  /** Present when the command started a registration: what the browser phone registers with. */
  credentials?: SoftphoneCredentials[];
}

export interface NewAgent {
  name: string;
  orgUnitId: string;
  workNumber: string;
  softphoneNumber: string;
  authMode: AuthMode;
}

const WORK_NUMBER_UNIQUE = 'agents_view_tenant_id_work_number_key';

/**
 * Agent commands: each gathers its facts (agent-svc's read models of tenant-svc,
 * waiting briefly for one announced but not consumed yet), lets the agent
 * decider decide, and appends, in one transaction; answers the new view.
 */
@Injectable()
export class AgentCommands {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: AgentsQuery,
    private readonly heartbeats: HeartbeatStore,
    @Inject(SOFTPHONE_SECRET) private readonly secret: string,
    @Inject(AGENT_SETTINGS) private readonly settings: AgentSettings,
  ) {}

  /** Creates an agent in an org unit of the tenant, with a work number of its own in the tenant. */
  async create(tenantId: string, agent: NewAgent): Promise<AgentView> {
    await awaitUpstreamFact(() => orgUnitExists(this.store.sql, tenantId, agent.orgUnitId), this.settings.upstreamFactWaitMs);
    const agentId = randomUUID();
    try {
      return await this.store.transaction(async (uow) => {
        const [taken] = await uow.sql.rows('SELECT 1 FROM agents_view WHERE tenant_id = $1 AND work_number = $2', [
          tenantId,
          agent.workNumber,
        ]);
        const command: AgentCommand = {
          type: 'CreateAgent',
          agentId,
          ...agent,
          orgUnitExists: await orgUnitExists(uow.sql, tenantId, agent.orgUnitId),
          workNumberTaken: taken !== undefined,
        };
        await this.decide(uow, tenantId, command);
        return this.query.get(tenantId, agentId, uow.sql);
      });
    } catch (error) {
      // Two creations that both saw the number free: the unique index lets one win.
      if (isUniqueViolation(error, WORK_NUMBER_UNIQUE)) {
        throw new DomainError('WORK_NUMBER_TAKEN', `work number ${agent.workNumber} is another agent's`, { field: 'workNumber' });
      }
      throw error;
    }
  }

  /** Binds the complete set of skill queues (each must be one tenant-svc announced). */
  async bindSkillQueues(tenantId: string, agentId: string, skillQueueIds: string[]): Promise<AgentView> {
    const allKnown = async () =>
      Object.keys(await skillQueueMediaTypes(this.store.sql, tenantId, skillQueueIds)).length === skillQueueIds.length;
    await awaitUpstreamFact(allKnown, this.settings.upstreamFactWaitMs);
    const result = await this.execute(tenantId, agentId, async (uow) => ({
      type: 'BindSkillQueues',
      agentId,
      skillQueueIds,
      mediaTypes: await skillQueueMediaTypes(uow.sql, tenantId, skillQueueIds),
    }));
    return result.agent;
  }

  /** Sign In: an eligible agent's softphone registers automatically (the answer carries its credentials). */
  signIn(tenantId: string, agentId: string): Promise<AgentResult> {
    return this.execute(tenantId, agentId, async (uow) => ({
      type: 'SignIn',
      agentId,
      tenant: await tenantFacts(uow.sql, tenantId),
      credentialId: randomUUID(),
    }));
  }

  /** Manual Register: every phone not registered, or one (a failed pool phone). */
  register(tenantId: string, agentId: string, phoneId: PhoneId | null): Promise<AgentResult> {
    return this.execute(tenantId, agentId, async (uow) => ({
      type: 'Register',
      agentId,
      phoneId,
      tenant: await tenantFacts(uow.sql, tenantId),
      credentialId: randomUUID(),
    }));
  }

  /** The credentials each phone of the layout holds now (a registration agent-svc started by itself included). */
  async credentials(tenantId: string, agentId: string): Promise<SoftphoneCredentials[]> {
    const agent = await this.query.get(tenantId, agentId);
    const inLayout = new Set(agent.phones.filter((p) => p.status !== 'unregistered').map((p) => p.phoneId));
    return currentCredentials(this.secret, tenantId, await this.store.readStream(agentStream(agentId))).filter((c) =>
      inLayout.has(c.phoneId),
    );
  }

  /** Runs a command on an agent of the tenant: another tenant's agent is not found, before the command is even built. */
  execute(tenantId: string, agentId: string, build: (uow: UnitOfWork) => Promise<AgentCommand> | AgentCommand): Promise<AgentResult> {
    return this.store.transaction(async (uow) => {
      await this.assertAgentOf(uow, tenantId, agentId);
      const credentials = await this.decide(uow, tenantId, await build(uow));
      return { agent: await this.query.get(tenantId, agentId, uow.sql), ...(credentials ? { credentials } : {}) };
    });
  }

  /**
   * Decides a command on an agent of the tenant inside a unit of work (consumers, sweepers); another tenant's agent
   * is not found: the tenant of the agent's stream, read with it, is checked before the command is decided.
   */
  async decideIn(uow: UnitOfWork, tenantId: string, command: AgentCommand): Promise<void> {
    await this.decide(uow, tenantId, command, (agent) => {
      if (agent.tenantId !== tenantId) throw new NotFoundError('agent', command.agentId);
    });
  }

  private async assertAgentOf(uow: UnitOfWork, tenantId: string, agentId: string): Promise<void> {
    const [owner] = await uow.sql.rows<{ tenant_id: string }>('SELECT tenant_id FROM agents_view WHERE agent_id = $1', [agentId]);
    if (owner?.tenant_id !== tenantId) throw new NotFoundError('agent', agentId);
  }

  /** Decides and appends; a registration's credentials are derived here and only answered, never stored. */
  private async decide(
    uow: UnitOfWork,
    tenantId: string,
    command: AgentCommand,
    guard?: (agent: Loaded<AgentState>) => void,
  ): Promise<SoftphoneCredentials[] | undefined> {
    const stream = agentStream(command.agentId);
    const { events } = await uow.decide(stream, agentDecider, command, metadataFor(tenantId), AGENT_SNAPSHOTS, guard);
    // A signed-out agent's softphone is no longer watched.
    if (events.some((e) => e.type === 'agent.signed-out')) uow.afterCommit(() => this.heartbeats.forget(tenantId, command.agentId));
    const requested = events.find((e) => e.type === 'agent.softphone-registration-requested');
    return requested ? credentialsFor(this.secret, tenantId, requested) : undefined;
  }
}
