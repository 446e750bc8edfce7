import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { AppError } from '@softphone/errors';
import { PostgresEventStore, type RecordedEvent } from '@softphone/event-store';
import { AgentsProjection } from './agents.projection.js';
import type { AgentView } from './agents.query.js';
import { ChangeWaiters } from './change-waiters.js';

/** Every instance LISTENs here; a commit that changed agents' rows NOTIFYs `<origin> <agentId>,<agentId>...` after it. */
const CHANNEL = 'agents_view_changed';
/** Waits in progress per instance; more are refused (503): each holds a request open. */
const MAX_WAITERS = 10_000;
/** Agent ids per NOTIFY (a payload stays under PostgreSQL's 8,000 bytes). */
const IDS_PER_NOTIFY = 150;
/** A lost LISTEN connection is taken again after this long (waits meanwhile may run to their end). */
const RELISTEN_DELAY_MS = 1_000;
const AGENT_STREAM = 'agent-';

interface NotifyingConnection {
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  off(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  once(event: 'error' | 'end', listener: () => void): void;
}

/**
 * Read-your-writes for agents_view: a reader waits for a row newer than the
 * version it has seen. A commit of agent events wakes this instance's waiters
 * at once, and the other instances' through one NOTIFY sent after it (never
 * inside the transaction: a NOTIFY there serialises the server's notifying
 * commits); each instance has one LISTEN connection. A NOTIFY lost (the
 * listening connection down) only makes the wait run to its end.
 *
 * A wait woken by a commit of this process gets the row that commit wrote (the
 * projection returns it while someone waits on the agent): no read after the
 * wake-up. Woken by a NOTIFY, or when the row did not come back, it reads.
 */
@Injectable()
export class AgentChanges implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AgentChanges');
  private readonly waiters = new ChangeWaiters<AgentView>(MAX_WAITERS);
  /**
   * The row this process's transactions last wrote for each agent waited on (committed or not yet): a commit hands
   * it to the waits if it is the one that commit wrote (same version), then forgets it. A row written without being
   * returned forgets the agent's, so a rolled-back transaction's row is never handed for a later commit's.
   */
  private readonly written = new Map<string, AgentView>();
  private projection?: AgentsProjection;
  /** Names this process in its NOTIFYs: its own are not acted on twice. */
  private readonly origin = randomUUID();
  private readonly unsent = new Set<string>();
  private sending = false;
  private running = false;
  private listening?: { runner: QueryRunner; stop(): void };
  private unsubscribe?: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly modules: ModuleRef,
  ) {}

  /** Reads waiting here now. */
  get waiting(): number {
    return this.waiters.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    // The event store's projection (provided with the store, in another module).
    this.projection = this.modules.get(AgentsProjection, { strict: false });
    this.projection.watch({
      wants: (agentId) => this.waiters.has(agentId),
      wrote: (agentId, row) => {
        if (!row) return void this.written.delete(agentId);
        if (this.written.size >= MAX_WAITERS) this.written.clear();
        this.written.set(agentId, row);
      },
    });
    this.unsubscribe = this.store.onAppended((events) => this.committed(events));
    await this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.projection?.watch(undefined);
    this.waiters.cancelAll();
    const listening = this.listening;
    await listening?.runner.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
    listening?.stop();
  }

  /**
   * The row `read` gives once its version is greater than `afterVersion`, or
   * the current row when `waitMs` passed first. Each wait is registered before
   * its read: a commit between them still wakes it. A read that throws (not
   * found, forbidden) ends it before any wait; a row handed by a commit is the
   * same agent's, already allowed by that read.
   */
  async newerThan(agentId: string, afterVersion: number, waitMs: number, read: () => Promise<AgentView>): Promise<AgentView> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return read();
      const waiter = this.waiters.register(agentId, remaining);
      if (!waiter) throw new AppError(503, 'TOO_MANY_WAITS', `${MAX_WAITERS} reads already wait here; retry, or read without waitMs`);
      const row = await read().catch((error: unknown) => {
        waiter.cancel();
        throw error;
      });
      if (row.version > afterVersion) {
        waiter.cancel();
        return row;
      }
      if (!(await waiter.changed)) return read();
      if (waiter.value && waiter.value.version > afterVersion) return waiter.value;
    }
  }

  private committed(events: readonly RecordedEvent[]): void {
    // Each agent's version after this commit (a stream's events come in order).
    const versions = new Map<string, number>();
    for (const e of events) if (e.streamId.startsWith(AGENT_STREAM)) versions.set(e.streamId.slice(AGENT_STREAM.length), e.streamVersion);
    if (versions.size === 0) return;
    this.waiters.wake(versions.keys(), (agentId) => {
      const row = this.written.get(agentId);
      return row?.version === versions.get(agentId) ? row : undefined;
    });
    for (const agentId of versions.keys()) {
      this.written.delete(agentId);
      this.unsent.add(agentId);
    }
    this.notifyOthers();
  }

  /** One NOTIFY at a time; ids committed meanwhile go in the next one. */
  private notifyOthers(): void {
    if (this.sending || this.unsent.size === 0 || !this.running) return;
    const agentIds = [...this.unsent].slice(0, IDS_PER_NOTIFY);
    for (const agentId of agentIds) this.unsent.delete(agentId);
    this.sending = true;
    this.store.sql
      .prepared('agents_changed_notify', 'SELECT pg_notify($1, $2)', [CHANNEL, `${this.origin} ${agentIds.join(',')}`])
      .catch((error: unknown) => this.logger.warn(`cannot tell the other instances agents changed: ${String(error)}`))
      .finally(() => {
        this.sending = false;
        this.notifyOthers();
      });
  }

  /** One LISTEN connection per instance, taken again a second after it is lost. */
  private async listen(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    let connection: NotifyingConnection | undefined;
    const onNotification = ({ channel, payload = '' }: { channel: string; payload?: string }) => {
      const [origin, agentIds = ''] = payload.split(' ');
      if (channel === CHANNEL && origin !== this.origin) this.waiters.wake(agentIds.split(','));
    };
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      connection?.off('notification', onNotification);
      if (this.listening?.runner === runner) this.listening = undefined;
      void runner.release().catch(() => undefined);
      if (this.running) setTimeout(() => void (this.running && this.listen()), RELISTEN_DELAY_MS).unref();
    };
    try {
      connection = (await runner.connect()) as NotifyingConnection;
      connection.on('notification', onNotification);
      connection.once('error', lost);
      connection.once('end', lost);
      await runner.query(`LISTEN ${CHANNEL}`);
      this.listening = { runner, stop: lost };
    } catch (error) {
      this.logger.warn(`cannot listen for other instances' agent changes: ${String(error)}`);
      lost();
    }
  }
}
