import { Module } from '@nestjs/common';
import { DurableSchedulerModule } from '@softphone/scheduler';
import { HourDigests } from './hour-digests.js';
import { ManagerMessagesCommands } from './manager-messages.commands.js';
import { ManagerMessagesController } from './manager-messages.controller.js';
import { ManagerMessagesQuery } from './manager-messages.query.js';
import { MessageMailer } from './message-mailer.js';
import { PoorCallReaction } from './poor-call.reaction.js';

/** The OU managers' internal messages: a reaction to calls gone poor, the 60-minute rule, the hour's digest, mail. */
@Module({
  imports: [DurableSchedulerModule],
  controllers: [ManagerMessagesController],
  providers: [ManagerMessagesQuery, ManagerMessagesCommands, MessageMailer, PoorCallReaction, HourDigests],
})
export class ManagerMessagesModule {}
