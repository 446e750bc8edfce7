import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { CLOCK, type Clock } from '@softphone/platform';
import { AGENT_SETTINGS, type AgentSettings } from '../agents/agent-settings.js';
import { AgentCommands } from '../agents/agent.commands.js';
import { HeartbeatStore } from './heartbeat-store.js';
import { staleAt, STALE_AFTER_PERIODS } from './liveness.policy.js';

export interface HeartbeatAnswer {
  /** Send the next heartbeat within this many seconds. */
  heartbeatSeconds: number;
  /** No heartbeat for this long: the agent is not routable until the next one. */
  staleAfterSeconds: number;
}

/**
 * Softphone liveness across instances and restarts: heartbeats go to Redis
 * (one round trip, no database write unless it is a transition); every
 * instance sweeps the softphones gone stale (each claimed by one sweeper) and
 * records their transition; Redis losing its data is repaired from the agents
 * the read model knows as watched and reachable.
 */
@Injectable()
export class SoftphoneLiveness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SoftphoneLiveness');
  private timer?: NodeJS.Timeout;
  private running = false;
  private sweeping?: Promise<void>;
  private lastRepair = 0;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly heartbeats: HeartbeatStore,
    private readonly commands: AgentCommands,
    @Inject(AGENT_SETTINGS) private readonly settings: AgentSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The agent's softphone is alive: recorded in Redis; a transition (first heartbeat, or back from stale) becomes an event. */
  async heartbeat(tenantId: string, agentId: string): Promise<HeartbeatAnswer> {
    const now = this.clock.now();
    const transition = await this.heartbeats.beat(tenantId, agentId, now.getTime(), staleAt(now.getTime(), this.settings.heartbeatSeconds));
    if (transition) {
      try {
        await this.commands.execute(tenantId, agentId, () => ({ type: 'Heartbeat', agentId, at: now.toISOString() }));
      } catch (error) {
        await this.heartbeats.forget(tenantId, agentId);
        throw error;
      }
    }
    return { heartbeatSeconds: this.settings.heartbeatSeconds, staleAfterSeconds: STALE_AFTER_PERIODS * this.settings.heartbeatSeconds };
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  private schedule(): void {
    if (!this.running) return;
    const every = Math.min(1_000, (this.settings.heartbeatSeconds * 1000) / 4);
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.logger.warn(`softphone sweep failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, every);
  }

  /** Marks the stale softphones unreachable, each once; now and then re-watches softphones Redis forgot. */
  private async sweep(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastRepair >= STALE_AFTER_PERIODS * this.settings.heartbeatSeconds * 1000) {
      this.lastRepair = now;
      await this.repair(now);
    }
    for (const stale of await this.heartbeats.claimStale(now)) {
      const { tenantId, agentId, lastHeartbeatAt } = stale;
      try {
        await this.store.transaction((uow) => this.commands.decideIn(uow, tenantId, { type: 'MarkUnreachable', agentId, lastHeartbeatAt }));
      } catch (error) {
        // An agent that no longer exists is dropped; anything else stays claimed and is swept again.
        if (!(error instanceof NotFoundError)) throw error;
      }
      await this.heartbeats.settled(tenantId, agentId);
    }
  }

  private async repair(now: number): Promise<void> {
    const watched = await this.store.sql.rows<{ tenant_id: string; agent_id: string }>(
      'SELECT tenant_id, agent_id FROM agents_view WHERE signed_in AND softphone_reachable AND last_heartbeat_at IS NOT NULL',
    );
    for (const agent of watched) {
      await this.heartbeats.watchIfMissing(agent.tenant_id, agent.agent_id, now, staleAt(now, this.settings.heartbeatSeconds));
    }
  }
}
