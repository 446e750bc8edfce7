import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { Counter } from 'prom-client';
import { PostgresEventStore, type UnitOfWork } from '@softphone/event-store';
import { metadataFor, SERVICE_CONFIG, type ServiceConfig } from '@softphone/platform';
import { DurableScheduler, type Job } from '@softphone/scheduler';
import { managerMessagesDecider, managerMessagesStream } from './manager-messages.decider.js';
import { managerMessage } from './manager-messages.query.js';
import { MANAGER_MESSAGES_SNAPSHOTS } from './manager-messages.snapshots.js';

export interface MailJob {
  tenantId: string;
  managerId: string;
  messageId: string;
  attempt: number;
}

/** The job kind keeps its name (rows of scheduled_jobs may hold it). */
const MAIL_JOB = 'quality.notice-mail';
/** Retries back off from 1 s to 5 minutes; a mail the server refuses for good (5xx) is given up after this many attempts. */
const MAX_BACKOFF_MS = 5 * 60_000;
const MAX_REFUSED_ATTEMPTS = 5;

const mails = new Counter({ name: 'quality_notice_mails_total', help: 'Internal message mails by outcome', labelNames: ['outcome'] });

/**
 * Mails each internal message (alert or digest) through SMTP (nodemailer) from
 * a durable job written in the transaction of the message: an SMTP outage only
 * delays it, the job retrying with backoff until the server takes it; a
 * restart or another instance picks the job up. At least once: a crash
 * between the mail and its record sends it again, with the same Message-ID.
 */
@Injectable()
export class MessageMailer {
  private readonly logger = new Logger('MessageMailer');
  private readonly transport: Transporter;

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly store: PostgresEventStore,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    // One connection per mail (no pool): nothing to close at shutdown.
    this.transport = createTransport(
      { url: config.smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 },
      { from: config.mailFrom },
    );
    this.scheduler.register(MAIL_JOB, (job, uow) => this.deliver(job as Job<MailJob>, uow));
  }

  /** In the transaction that writes the message. The scheduler runs on wall-clock time, not the service clock. */
  async schedule(uow: UnitOfWork, message: Omit<MailJob, 'attempt'>, attempt = 1, dueAt = new Date()): Promise<void> {
    await this.scheduler.schedule(uow, {
      id: `${MAIL_JOB}:${message.messageId}:${attempt}`,
      kind: MAIL_JOB,
      dueAt,
      payload: { ...message, attempt },
    });
  }

  private async deliver(job: Job<MailJob>, uow: UnitOfWork): Promise<void> {
    const { tenantId, managerId, messageId, attempt } = job.payload;
    const message = await managerMessage(uow.sql, tenantId, managerId, messageId);
    if (message.mailedAt) return;
    const [manager] = await uow.sql.rows<{ manager_email: string | null }>(
      'SELECT manager_email FROM org_units WHERE tenant_id = $1 AND manager_id = $2 AND manager_email IS NOT NULL LIMIT 1',
      [tenantId, managerId],
    );
    if (!manager) {
      mails.inc({ outcome: 'no-address' });
      return this.logger.error(`message ${messageId}: manager ${managerId} of tenant ${tenantId} has no mail address`);
    }
    const to = manager.manager_email!;
    try {
      await this.transport.sendMail({ to, subject: message.subject, text: message.text, messageId: `<${messageId}@quality-svc>` });
    } catch (error) {
      const refused = ((error as { responseCode?: number }).responseCode ?? 0) >= 500;
      if (refused && attempt >= MAX_REFUSED_ATTEMPTS) {
        mails.inc({ outcome: 'refused' });
        return this.logger.error(`message ${messageId}: the SMTP server refused the mail ${attempt} times, giving up: ${String(error)}`);
      }
      const backoff = Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      mails.inc({ outcome: 'retry' });
      this.logger.warn(`message ${messageId}: mail attempt ${attempt} failed, retrying in ${backoff} ms: ${String(error)}`);
      return this.schedule(uow, { tenantId, managerId, messageId }, attempt + 1, new Date(Date.now() + backoff));
    }
    mails.inc({ outcome: 'sent' });
    // In a transaction of its own: on the busy manager stream, a lost race re-runs only the record, never the mail.
    await this.store.transaction((recording) =>
      recording.decide(
        managerMessagesStream(tenantId, managerId),
        managerMessagesDecider,
        { type: 'RecordMailed', managerId, messageId, to },
        metadataFor(tenantId),
        MANAGER_MESSAGES_SNAPSHOTS,
      ),
    );
  }
}
