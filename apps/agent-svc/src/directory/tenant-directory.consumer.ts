import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Envelope, TenantEvent } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { MessagingLifecycle } from '@softphone/platform';
import { AgentCommands } from '../agents/agent.commands.js';
import type { AgentCommand } from '../agents/agent.decider.js';
import type { TenantFacts } from '../registration/registration.policy.js';
import { tenantFacts } from './tenant-facts.query.js';
import { TenantFactsProjection } from './tenant-facts.projection.js';
import { reactionsTo, type TenantReaction } from './tenant-reactions.policy.js';

/** Agents holding a phone (registering, registered or down), or signed in. */
const AGENTS_HOLDING_PHONES = `SELECT agent_id FROM agents_view
  WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM jsonb_each_text(phones) WHERE value <> 'unregistered') ORDER BY agent_id`;
const AGENTS_SIGNED_IN = 'SELECT agent_id FROM agents_view WHERE tenant_id = $1 AND signed_in ORDER BY agent_id';

/**
 * agent-svc's view of tenant-svc: each event goes into the tenant facts (a
 * replayable projection), then its reactions (a pure policy) are decided for
 * the tenant's agents, all in the transaction of the event's inbox record.
 */
@Injectable()
export class TenantDirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly facts: TenantFactsProjection,
    private readonly commands: AgentCommands,
  ) {}

  onModuleInit(): void {
    this.messaging.consumeEvents('tenant-directory', ['tenant'], {
      handle: (event, uow) => this.apply(event as Envelope<TenantEvent>, uow),
    });
  }

  private async apply(event: Envelope<TenantEvent>, uow: UnitOfWork): Promise<void> {
    await this.facts.apply(uow.sql, event);
    const reactions = reactionsTo(event);
    if (reactions.length === 0) return;
    const tenant = await tenantFacts(uow.sql, event.tenantId);
    for (const reaction of reactions) {
      const agents = await uow.sql.rows<{ agent_id: string }>(
        reaction.kind === 'register-automatically' ? AGENTS_SIGNED_IN : AGENTS_HOLDING_PHONES,
        [event.tenantId],
      );
      for (const { agent_id } of agents) await this.commands.decideIn(uow, event.tenantId, commandFor(reaction, agent_id, tenant));
    }
  }
}

function commandFor(reaction: TenantReaction, agentId: string, tenant: TenantFacts): AgentCommand {
  switch (reaction.kind) {
    case 'unregister-phones':
      return { type: 'UnregisterPhones', agentId, reason: reaction.reason };
    case 'register-on-new-gateways':
      return { type: 'ReRegisterOnNewGateways', agentId, tenant, credentialId: randomUUID() };
    case 'apply-pool-mode':
      return { type: 'ApplyPoolMode', agentId, tenant, credentialId: randomUUID() };
    case 'register-automatically':
      return { type: 'RegisterAutomatically', agentId, tenant, trigger: reaction.trigger, credentialId: randomUUID() };
  }
}
