import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Caller, Roles, type Principal } from '@softphone/auth';
import { Id } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { ManagerMessagesCommands } from './manager-messages.commands.js';
import { ManagerMessagesQuery, type ManagerMessageView } from './manager-messages.query.js';
import { ManagerMessagesListQuery } from './manager-messages.schemas.js';

const MessageIdParam = { schema: Id };

/**
 * An OU manager's own internal messages (the token's subject is the manager
 * id). The route keeps the path it had when they were called an inbox.
 */
@ApiTags('manager-messages')
@ApiBearerAuth()
@Roles('ou-manager')
@Controller('inbox/messages')
export class ManagerMessagesController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly commands: ManagerMessagesCommands,
    private readonly query: ManagerMessagesQuery,
  ) {}

  @Get()
  list(
    @Caller() caller: Principal,
    @Query({ schema: ManagerMessagesListQuery }) query: z.infer<typeof ManagerMessagesListQuery>,
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
      this.commands.decideIn(uow, caller.tenantId, { type: 'MarkMessageRead', managerId: caller.subject, messageId }),
    );
    return this.query.get(caller.tenantId, caller.subject, messageId);
  }
}
