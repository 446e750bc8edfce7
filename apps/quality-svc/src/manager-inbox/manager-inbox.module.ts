import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { InboxController } from './inbox.controller.js';
import { ManagerMessagesQuery } from './manager-messages.query.js';
import { ManagerNotifier } from './manager-notifier.js';
import { NoticeMailer } from './notice-mailer.js';
import { NoticeRateLimit } from './notice-rate-limit.js';

@Module({
  imports: [DurableSchedulerModule],
  controllers: [InboxController],
  providers: [ManagerMessagesQuery, ManagerNotifier, NoticeMailer, NoticeRateLimit],
  exports: [ManagerNotifier],
})
export class ManagerInboxModule {}
