import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@softphone/event-store';
import { CLOCK, type Clock } from '@softphone/platform';
import { ManagerMessagesCommands } from './manager-messages.commands.js';

/** How often the due digests are looked for. */
const POLL_MS = 500;
/** Managers whose digest one transaction sends. */
const BATCH = 20;

const ANY_DUE = 'SELECT 1 FROM manager_digests_due WHERE due_at <= $1 LIMIT 1';
const DUE = `SELECT tenant_id, manager_id FROM manager_digests_due WHERE due_at <= $1 ORDER BY due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;

/**
 * Sends each hour's digest when it is due on the service clock. The due times
 * are rows of `manager_digests_due` (kept by the manager messages projection
 * in the transaction that holds an alert), so they survive restarts; any
 * instance may send a digest, the row lock and the manager's stream version
 * make it one. The service clock, not the wall clock of DurableScheduler: the
 * 60-minute window is measured on it (tests move it by hand).
 */
@Injectable()
export class HourDigests implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HourDigests');
  private timer?: NodeJS.Timeout;
  private tick: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly commands: ManagerMessagesCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.tick = this.tick
        .then(async () => void (await this.sendDue()))
        .catch((error: unknown) => this.logger.warn(`digests: ${String(error)}`));
    }, POLL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
  }

  /** Sends the digests due now; returns how many managers were looked at. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    // Most polls find nothing: look without a transaction first.
    if ((await this.store.sql.rows(ANY_DUE, [now])).length === 0) return 0;
    return this.store.transaction(async (uow) => {
      const due = await uow.sql.rows<{ tenant_id: string; manager_id: string }>(DUE, [now]);
      for (const { tenant_id: tenantId, manager_id: managerId } of due) {
        const sent = await this.commands.decideIn(uow, tenantId, {
          type: 'SendDigest',
          managerId,
          at: now.toISOString(),
          digestMessageId: randomUUID(),
        });
        // Nothing to send (a stale row): the projection deletes rows only as messages go out.
        if (sent === 0)
          await uow.sql.execute('DELETE FROM manager_digests_due WHERE tenant_id = $1 AND manager_id = $2', [tenantId, managerId]);
      }
      return due.length;
    });
  }
}
