import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { InboxListQuery } from './inbox.schemas.js';
import { managerInboxDecider, managerInboxStream } from './manager-inbox.decider.js';
import { MANAGER_INBOX_SNAPSHOTS } from './manager-inbox.snapshots.js';
import { ManagerMessagesQuery, type ManagerMessageView } from './manager-messages.query.js';

const MessageIdParam = { schema: Id };

/** An OU manager's own inbox of internal messages (the token's subject is the manager id). */
@ApiTags('inbox')
@ApiBearerAuth()
@Roles('ou-manager')
@Controller('inbox/messages')
export class InboxController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly query: ManagerMessagesQuery,
  ) {}

  @Get()
  list(
    @Caller() caller: Principal,
    @Query({ schema: InboxListQuery }) query: z.infer<typeof InboxListQuery>,
  ): Promise<ManagerMessageView[]> {
    return this.query.list(caller.tenantId, caller.subject, { unreadOnly: query.unread === 'true', limit: query.limit });
  }

  @Get(':messageId')
  get(@Caller() caller: Principal, @Param('messageId', MessageIdParam) messageId: string): Promise<ManagerMessageView> {
    return this.query.get(caller.tenantId, caller.subject, messageId);
  }

  @Post(':messageId/read')
  @HttpCode(200)
  async markRead(@Caller() caller: Principal, @Param('messageId', MessageIdParam) messageId: string): Promise<ManagerMessageView> {
    await this.store.transaction((uow) =>
      uow.decide(
        managerInboxStream(caller.tenantId, caller.subject),
        managerInboxDecider,
        { type: 'MarkMessageRead', managerId: caller.subject, messageId },
        metadataFor(caller.tenantId),
        MANAGER_INBOX_SNAPSHOTS,
      ),
    );
    return this.query.get(caller.tenantId, caller.subject, messageId);
  }
}
