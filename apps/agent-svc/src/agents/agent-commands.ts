import { Inject, Injectable } from '@nestjs/common';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { metadataFor } from '@softphone/platform';
import { agentDecider, agentStream, type AgentCommand } from './agent.decider.js';
import { AgentsQuery, type AgentView } from './agents.query.js';
import { credentialsFor, type SoftphoneCredentials } from './softphone-credentials.js';

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

  execute(tenantId: string, agentId: string, build: (uow: UnitOfWork) => Promise<AgentCommand> | AgentCommand): Promise<AgentResult> {
    return this.store.transaction(async (uow) => {
      const command = await build(uow);
      const credentials = await this.decideIn(uow, tenantId, command);
      return { agent: await this.query.get(tenantId, agentId, uow.sql), ...(credentials ? { credentials } : {}) };
    });
  }

  /** Decides a command on an agent of the tenant inside a unit of work; another tenant's agent is not found. */
  async decideIn(uow: UnitOfWork, tenantId: string, command: AgentCommand): Promise<SoftphoneCredentials[] | undefined> {
    if (command.type !== 'CreateAgent') {
      const [owner] = await uow.sql.rows<{ tenant_id: string }>('SELECT tenant_id FROM agents_view WHERE agent_id = $1', [command.agentId]);
      if (owner?.tenant_id !== tenantId) throw new NotFoundError('agent', command.agentId);
    }
    const { events } = await uow.decide(agentStream(command.agentId), agentDecider, command, metadataFor(tenantId));
    const requested = events.find((e) => e.type === 'agent.softphone-registration-requested');
    return requested ? credentialsFor(this.secret, tenantId, requested as Parameters<typeof credentialsFor>[2]) : undefined;
  }
}
