import { Inject, Injectable, Logger } from '@nestjs/common';
import type { UnitOfWork } from '@softphone/event-store';
import { CLOCK, type Clock } from '@softphone/platform';
import { DurableScheduler, type Job } from '@softphone/scheduler';
import { callKey } from '../call-key.js';
import { ManagerNotifier, type HeldClaims } from '../manager-inbox/manager-notifier.js';
import { loadMeters, saveMeters, type Meter } from './meter-table.js';

/** A notice whose call's agent (or that agent's OU) was not known yet, tried again. */
interface NoticeRetry {
  tenantId: string;
  callId: string;
  /** The second that confirmed the poor level: identifies the notice. */
  secondMs: number;
  attempt: number;
}

const NOTICE_RETRY = 'quality.notice-retry';
/** 1 s, doubling up to 30 s: about 8 minutes for call-svc and agent-svc to tell us the call's agent. */
const NOTICE_RETRIES = 20;

/** Notices of calls gone poor, from the meters to the OU managers' inboxes. */
@Injectable()
export class PendingNotices {
  private readonly logger = new Logger('PendingNotices');

  constructor(
    private readonly notifier: ManagerNotifier,
    private readonly scheduler: DurableScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.scheduler.register(NOTICE_RETRY, (job, uow) => this.retry(uow, (job as Job<NoticeRetry>).payload));
  }

  /**
   * Turns pending notices into messages where possible; a settled notice is no
   * longer pending, one still waiting for the call's agent is tried again later.
   */
  async settle(uow: UnitOfWork, claims: HeldClaims, meters: Meter[], now: Date, attempt = 1): Promise<void> {
    if (meters.length === 0) return;
    const settled = await this.notifier.notify(
      uow,
      claims,
      meters.map((m) => ({ tenantId: m.tenantId, callId: m.callId, notice: m.state.pendingNotice! })),
      now,
    );
    for (const m of meters) {
      if (settled.has(callKey(m.tenantId, m.callId))) {
        m.state = { ...m.state, pendingNotice: null };
      } else if (attempt > NOTICE_RETRIES) {
        this.logger.warn(`call ${m.callId} of tenant ${m.tenantId}: its agent is still unknown, no internal message`);
      } else {
        const retry: NoticeRetry = { tenantId: m.tenantId, callId: m.callId, secondMs: m.state.pendingNotice!.second.atMs, attempt };
        const delayMs = Math.min(1000 * 2 ** (attempt - 1), 30_000);
        await this.scheduler.schedule(uow, {
          id: `${NOTICE_RETRY}:${retry.tenantId}:${retry.callId}:${retry.secondMs}:${attempt}`,
          kind: NOTICE_RETRY,
          dueAt: new Date(Date.now() + delayMs),
          payload: retry,
        });
      }
    }
  }

  /**
   * Samples may come before call-svc's and agent-svc's events tell us the call's
   * agent and the agent's OU (other topics, other partitions, perhaps another
   * instance): a notice waiting for them is tried again, with backoff, until it
   * is settled or no longer pending (the call recovered or ended).
   */
  private async retry(uow: UnitOfWork, retry: NoticeRetry): Promise<void> {
    const [current] = await loadMeters(uow.sql, [retry]);
    if (current.state.pendingNotice?.second.atMs !== retry.secondMs) return;
    const claims = this.notifier.claims();
    try {
      const next = { ...current };
      await this.settle(uow, claims, [next], this.clock.now(), retry.attempt + 1);
      if (next.state.pendingNotice === null) await saveMeters(uow.sql, [next]);
    } catch (error) {
      await claims.release();
      throw error;
    }
  }
}
