import { Inject, Injectable } from '@nestjs/common';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { DomainError, NotFoundError } from '@softphone/errors';
import { metadataFor } from '@softphone/platform';
import { agentDecider, agentStream, type AgentCommand } from './agent.decider.js';
import { AgentsQuery, type AgentView } from './agents.query.js';
import { credentialsFor, type SoftphoneCredentials } from './softphone-credentials.js';
import { AGENT_SNAPSHOTS } from './agent.snapshots.js';

export const SOFTPHONE_SECRET = Symbol('SOFTPHONE_SECRET');

export interface AgentResult {
  agent: AgentView;
  /** Present when the command started a registration: what the browser phone registers with. */
  credentials?: SoftphoneCredentials[];
}

/** Runs agent commands: builds each in the transaction (facts from the read models), decides, answers the new view. */
@Injectable()
export class AgentCommands {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: AgentsQuery,
    @Inject(SOFTPHONE_SECRET) private readonly secret: string,
  ) {}

  /** Creates an agent in the tenant, whose work number is its own in the tenant. */
  create(tenantId: string, command: Extract<AgentCommand, { type: 'CreateAgent' }>): Promise<AgentResult> {
    return this.store.transaction(async (uow) => {
      const taken = await uow.sql.rows('SELECT 1 FROM agents_view WHERE tenant_id = $1 AND work_number = $2', [
        tenantId,
        command.workNumber,
      ]);
      if (taken.length > 0)
        throw new DomainError('WORK_NUMBER_TAKEN', `work number ${command.workNumber} is another agent's`, { field: 'workNumber' });
      await this.decide(uow, tenantId, command);
      return { agent: await this.query.get(tenantId, command.agentId, uow.sql) };
    });
  }

  /** Runs a command on an agent of the tenant: another tenant's agent is not found, before the command is even built. */
  execute(tenantId: string, agentId: string, build: (uow: UnitOfWork) => Promise<AgentCommand> | AgentCommand): Promise<AgentResult> {
    return this.store.transaction(async (uow) => {
      await this.assertAgentOf(uow, tenantId, agentId);
      const credentials = await this.decide(uow, tenantId, await build(uow));
      return { agent: await this.query.get(tenantId, agentId, uow.sql), ...(credentials ? { credentials } : {}) };
    });
  }

  /** Decides a command on an agent of the tenant inside a unit of work (for the consumers); another tenant's agent is not found. */
  async decideIn(uow: UnitOfWork, tenantId: string, command: AgentCommand): Promise<void> {
    await this.assertAgentOf(uow, tenantId, command.agentId);
    await this.decide(uow, tenantId, command);
  }

  private async assertAgentOf(uow: UnitOfWork, tenantId: string, agentId: string): Promise<void> {
    const [owner] = await uow.sql.rows<{ tenant_id: string }>('SELECT tenant_id FROM agents_view WHERE agent_id = $1', [agentId]);
    if (owner?.tenant_id !== tenantId) throw new NotFoundError('agent', agentId);
  }

  /** Decides and appends; a registration's credentials are derived here and only answered, never stored. */
  private async decide(uow: UnitOfWork, tenantId: string, command: AgentCommand): Promise<SoftphoneCredentials[] | undefined> {
    const { events } = await uow.decide(agentStream(command.agentId), agentDecider, command, metadataFor(tenantId), AGENT_SNAPSHOTS);
    const requested = events.find((e) => e.type === 'agent.softphone-registration-requested');
    return requested ? credentialsFor(this.secret, tenantId, requested) : undefined;
  }
}
