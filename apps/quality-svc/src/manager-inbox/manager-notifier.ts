import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Counter } from 'prom-client';
import { DomainError } from '@softphone/errors';
import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { callKey } from '../call-key.js';
import type { PendingNotice } from '../metering/call-meter.js';
import { managerInboxDecider, managerInboxStream } from './manager-inbox.decider.js';
import { MANAGER_INBOX_SNAPSHOTS } from './manager-inbox.snapshots.js';
import { NoticeMailer } from './notice-mailer.js';
import { NoticeRateLimit } from './notice-rate-limit.js';
import { noticeTargets } from './notice-targets.js';

export interface NoticeRequest {
  tenantId: string;
  callId: string;
  notice: PendingNotice;
}

export type NoticeOutcome = 'sent' | 'rate-limited' | 'parameter-off' | 'no-manager';

const outcomes = new Counter({ name: 'quality_manager_notices_total', help: 'Poor-quality notices by outcome', labelNames: ['outcome'] });

/** The rate-limit claims one attempt of a unit of work holds; released if the attempt fails. */
export class HeldClaims {
  private readonly held: Array<{ tenantId: string; managerId: string; messageId: string }> = [];

  constructor(private readonly rateLimit: NoticeRateLimit) {}

  add(tenantId: string, managerId: string, messageId: string): void {
    this.held.push({ tenantId, managerId, messageId });
  }

  async release(): Promise<void> {
    await Promise.all(this.held.splice(0).map((c) => this.rateLimit.release(c.tenantId, c.managerId, c.messageId)));
  }
}

/** The same call going poor at the same second is the same message, whoever computes it and however often. */
function noticeMessageId(tenantId: string, callId: string, secondMs: number): string {
  const hex = createHash('sha256').update(`${tenantId}\n${callId}\n${secondMs}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * When a call goes poor and the tenant parameter is Yes, puts an internal
 * message in the inbox of the manager of the agent's OU (or of the nearest
 * ancestor OU with a manager) and schedules its mail, at most once per manager
 * per 60 minutes: a Redis claim decides between instances at once, the
 * manager's inbox stream stays the guard of record.
 */
@Injectable()
export class ManagerNotifier {
  private readonly logger = new Logger('ManagerNotifier');

  constructor(
    private readonly rateLimit: NoticeRateLimit,
    private readonly mailer: NoticeMailer,
  ) {}

  claims(): HeldClaims {
    return new HeldClaims(this.rateLimit);
  }

  /**
   * Settles what it can in the caller's unit of work, holding the claims of the
   * messages it wrote in `claims`. Returns each settled call's outcome; a call
   * whose agent or agent's OU is not known yet stays pending (absent).
   */
  async notify(uow: UnitOfWork, claims: HeldClaims, requests: readonly NoticeRequest[], now: Date): Promise<Map<string, NoticeOutcome>> {
    const settled = new Map<string, NoticeOutcome>();
    if (requests.length === 0) return settled;
    const targets = new Map((await noticeTargets(uow.sql, requests)).map((t) => [callKey(t.tenantId, t.callId), t]));
    for (const { tenantId, callId, notice } of requests) {
      const target = targets.get(callKey(tenantId, callId));
      if (!target?.agentId || !target.orgUnitId) continue;
      const outcome: NoticeOutcome = !target.notify
        ? 'parameter-off'
        : !target.managerId
          ? 'no-manager'
          : await this.send(
              uow,
              claims,
              { tenantId, callId, notice, managerId: target.managerId, agentId: target.agentId, orgUnitId: target.orgUnitId },
              now,
            );
      settled.set(callKey(tenantId, callId), outcome);
      outcomes.inc({ outcome });
    }
    return settled;
  }

  private async send(
    uow: UnitOfWork,
    claims: HeldClaims,
    to: NoticeRequest & { managerId: string; agentId: string; orgUnitId: string },
    now: Date,
  ): Promise<NoticeOutcome> {
    const { tenantId, managerId, notice } = to;
    const messageId = noticeMessageId(tenantId, to.callId, notice.second.atMs);
    if (!(await this.rateLimit.claim(tenantId, managerId, messageId, now))) return 'rate-limited';
    try {
      const { events } = await uow.decide(
        managerInboxStream(tenantId, managerId),
        managerInboxDecider,
        {
          type: 'NotifyManager',
          managerId,
          messageId,
          orgUnitId: to.orgUnitId,
          callId: to.callId,
          agentId: to.agentId,
          level: notice.level,
          second: new Date(notice.second.atMs).toISOString(),
          metrics: {
            lossRate: notice.second.lossRate,
            jitterMs: notice.second.jitterMs,
            oneWayDelayMs: notice.second.oneWayDelayMs,
            mos: notice.second.mos,
          },
          notifiedAt: now.toISOString(),
        },
        metadataFor(tenantId),
        MANAGER_INBOX_SNAPSHOTS,
      );
      if (events.length > 0) {
        claims.add(tenantId, managerId, messageId);
        await this.mailer.schedule(uow, { tenantId, managerId, messageId });
      }
      return 'sent';
    } catch (error) {
      await this.rateLimit.release(tenantId, managerId, messageId);
      if (error instanceof DomainError && error.code === 'MANAGER_NOTIFIED_RECENTLY') {
        this.logger.warn(`manager ${managerId} of tenant ${tenantId}: the inbox refused a message the Redis claim allowed`);
        return 'rate-limited';
      }
      throw error;
    }
  }
}
