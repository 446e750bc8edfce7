import { Injectable } from '@nestjs/common';
import type { SkillQueueMediaType } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { findAccessCodeHolder } from '../access-codes/access-codes.query.js';
import { assertTenantExists } from '../tenants/tenants.query.js';
import { skillQueueDecider, skillQueueStream } from './skill-queue.decider.js';

export interface NewSkillQueue {
  skillQueueId: string;
  name: string;
  mediaType: SkillQueueMediaType;
  accessCode: string;
}

@Injectable()
export class SkillQueueCommands {
  constructor(private readonly store: PostgresEventStore) {}

  async create(tenantId: string, queue: NewSkillQueue): Promise<void> {
    await this.store.transaction(async (uow) => {
      await assertTenantExists(uow.sql, tenantId);
      const accessCodeHolder = await findAccessCodeHolder(uow.sql, tenantId, queue.accessCode);
      const command = { type: 'CreateSkillQueue' as const, ...queue, accessCodeHolder };
      await uow.decide(skillQueueStream(tenantId, queue.skillQueueId), skillQueueDecider, command, metadataFor(tenantId));
    });
  }
}
